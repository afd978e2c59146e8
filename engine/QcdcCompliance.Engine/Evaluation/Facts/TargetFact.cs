using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation.Facts;

/// <summary>Where a unit stands against one target.</summary>
public enum MeasureStatus
{
    Met,
    Short,
    /// <summary>The unit did not report what the target reads: not compliance.</summary>
    Missing,
    /// <summary>Nothing to measure: a unit outside the target's population, or one that owes nothing. Out of the area's figures.</summary>
    NotApplicable,

    /// <summary>
    /// A ratio over zero cases (no complaint received): the unit itself is not judged, but it reported, so it is of its
    /// areas' population, among the units that do not fall short, and its numerator (cases carried over and settled in
    /// the period) is in their sums.
    /// </summary>
    NoCases,
}

/// <summary>
/// One unit measured against one target, and what it adds to its areas' figures: 1 of 1 (met) or 0 of 1 (short) for a
/// yes/no or count test, or its own numerator and denominator for a ratio (a share is the sum of numerators over the
/// sum of denominators; a ratio over zero cases adds its numerator and 0). A unit that did not report adds nothing to
/// the figures: its areas count it as missing.
/// <see cref="Value"/> is the value the test compared (the count against the minimum, a yes/no as 1 or 0).
/// </summary>
public readonly record struct Measured(MeasureStatus Status, long Numerator, long Denominator, long? Value = null)
{
    public bool FallsShort => Status is MeasureStatus.Short or MeasureStatus.Missing;

    public static Measured Met => new(MeasureStatus.Met, 1, 1);
    public static Measured Short => new(MeasureStatus.Short, 0, 1);
    public static Measured Missing => new(MeasureStatus.Missing, 0, 0);
    public static Measured NotApplicable => new(MeasureStatus.NotApplicable, 0, 0);

    /// <summary>A ratio whose denominator is 0, with the numerator the unit reported.</summary>
    public static Measured NoCases(long numerator) => new(MeasureStatus.NoCases, numerator, 0);

    /// <summary>What the unit adds to its areas, without the value it was compared on.</summary>
    public Measured Contribution => this with { Value = null };
}

/// <summary>
/// A target as a session sees it for one period: the stored settings in force on the period's last day, the rule that
/// measures it (its own, a shipped rule it reuses, or a shape over its indicators) and the area it binds.
/// </summary>
public sealed class TargetFact
{
    /// <summary>The target's own code: one target wherever it binds (two sets may each define it for areas apart, such as two districts of a province).</summary>
    public required string Code { get; init; }

    /// <summary>The name of the rule that measures it; the NRules rule of that name matches it.</summary>
    public required string RuleName { get; init; }
    public required string ResolutionCode { get; init; }

    /// <summary>The set the target comes from (its legal basis, its scope); null for the built-in REPORTED.</summary>
    public Resolution? Set { get; init; }
    public required Population Population { get; init; }
    public required Threshold Threshold { get => _threshold; init => _threshold = value; }
    private Threshold _threshold;
    public long? Minimum { get; init; }

    /// <summary>The least share of the population that must have reported for an area to be judged (null: all of it).</summary>
    public long? CoverageMillionths { get; init; }
    public required MeasuredOver MeasuredOver { get; init; }
    public required Severity Severity { get; init; }
    public required string TextVi { get; init; }
    public string? TextEn { get; init; }
    public string? NameVi { get; init; }
    public string? NameEn { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The indicators the rule reads, in its order.</summary>
    public required IReadOnlyList<Indicator> Reads { get; init; }
    public required ITargetRule Rule { get; init; }

    /// <summary>The area whose subtree the target binds (null: the whole country).</summary>
    public AreaRef? BoundArea { get; init; }

    /// <summary>The dated setting this fact carries: from, to, where it comes from and the text it rests on.</summary>
    public DateOnly? SettingFrom { get; init; }
    public DateOnly? SettingTo { get; init; }
    public SettingSource Source { get; init; }
    public string? Basis { get; init; }

    /// <summary>
    /// A half-year target restated on a year period: judged over areas on the year's readings (the state at the year's
    /// end), never unit by unit, since its units were told in the half-years.
    /// </summary>
    public bool RestatedOnYear { get; init; }

    /// <summary>The setting's own minimum, before a year reads it over its two halves (<see cref="Minimum"/>, <see cref="TargetFacts.MinimumOn"/>).</summary>
    public long? HalfYearMinimum { get; init; }

    /// <summary>
    /// The least count the unit must reach: the target's <see cref="Minimum"/>, except that a year reading a half-year
    /// minimum over its two halves asks a unit opened in the second half one half's (12 days of receiving citizens, not
    /// 24: its year's count is that half's alone).
    /// </summary>
    public long? MinimumFor(UnitReport report) => report.SecondHalfOnly ? HalfYearMinimum ?? Minimum : Minimum;

    /// <summary>
    /// The target as a stored run judged it, by the threshold that run recorded in its findings: its set was imported
    /// again since, and a reader restating that run's verdicts (the review report's counts by kind of unit) counts the
    /// units by the test the verdicts stand on, not by the one now stored beside them.
    /// </summary>
    public TargetFact JudgedBy(Threshold threshold)
    {
        if (threshold == Threshold)
            return this;
        var judged = (TargetFact)MemberwiseClone();
        judged._threshold = threshold;
        return judged;
    }

    public bool MeasuresUnits => (MeasuredOver & MeasuredOver.Unit) != 0 && !RestatedOnYear;

    /// <summary>Whether the target's figure over an area of this level is a verdict of the area (<see cref="JudgedLevels"/>).</summary>
    public bool JudgedAt(AreaLevel level) => JudgedLevels.JudgedAt(MeasuredOver, MeasuresUnits, level);

    public bool Includes(UnitReport report) =>
        Population.Includes(report.Unit.Kind, report.Unit.HasTradeUnion) && (BoundArea is null || report.Unit.IsIn(BoundArea.Id));

    public Measured Measure(UnitReport report) => UnderCap(Rule.Measure(report, this));

    /// <summary>The measure for a unit of the population; a unit outside it counts nowhere.</summary>
    public Measured MeasureInPopulation(UnitReport report) => Includes(report) ? Measure(report) : Measured.NotApplicable;

    /// <summary>Whether a unit of the target's population falls short of it (missing data included).</summary>
    public bool FallsShort(UnitReport report) => Includes(report) && Measure(report).FallsShort;

    /// <summary>Whether the threshold is a cap ("≤ 15%", "&lt; 15%"): the fewer counted, the better.</summary>
    public bool IsCap => !TargetGap.RaisesNumerator(Threshold.Operator);

    /// <summary>
    /// A share of units counts the units whose answer is yes (1 of 1) over all; under a cap those are the units that must
    /// change, so the unit counted falls short and the unit not counted complies (its 0 of 1 meets "≤ 50%"). A ratio
    /// already compares the unit's own counts with the threshold.
    /// </summary>
    private Measured UnderCap(Measured measured) => !IsCap || Rule.IsRatio ? measured : measured.Status switch
    {
        MeasureStatus.Met => measured with { Status = MeasureStatus.Short },
        MeasureStatus.Short => measured with { Status = MeasureStatus.Met },
        _ => measured,
    };

    /// <summary>The areas of a unit's path the target rolls up to: those at or below the area it binds.</summary>
    public IEnumerable<AreaRef> AreasOf(IReadOnlyList<AreaRef> path)
    {
        if (BoundArea is null)
            return path;
        var end = 0;
        while (end < path.Count && path[end].Id != BoundArea.Id)
            end++;
        return end < path.Count ? path.Take(end + 1) : [];
    }

    /// <summary>
    /// An area's status from its figures: not applicable with nothing to measure; while units of its population have
    /// not reported (below the coverage the set gives, every unit by default) it is incomplete, never met, unless it is
    /// short whatever they report (a share of units that fails the threshold even if every missing unit complies: each
    /// counted for "≥" and "&gt;", none counted for a cap; a ratio's missing counts could be anything, so a ratio is
    /// incomplete); otherwise met or short by the threshold over the units that reported.
    /// </summary>
    public AreaStatus AreaStatusOf(int population, int missing, long numerator, long denominator) =>
        AreaStatusOf(Threshold, population, missing, numerator, denominator);

    /// <summary>
    /// The status by <paramref name="threshold"/> rather than the current setting's: the threshold a stored run judged by,
    /// for figures read after its set was imported again (the units attached directly to an area, beside its children).
    /// </summary>
    public AreaStatus AreaStatusOf(Threshold threshold, int population, int missing, long numerator, long denominator)
    {
        if (population == 0)
            return AreaStatus.NotApplicable;
        if (missing > 0 && !CoverageReached(population - missing, population))
        {
            // Each missing unit counted as complying: for "≥" and ">" it answers yes, under a cap no.
            var best = TargetGap.RaisesNumerator(threshold.Operator) ? numerator + missing : numerator;
            var hopeless = !Rule.IsRatio && !threshold.IsMetBy(best, denominator + missing);
            return hopeless ? AreaStatus.Short : AreaStatus.Incomplete;
        }

        if (denominator == 0)
            return missing > 0 ? AreaStatus.Incomplete : AreaStatus.NotApplicable;
        return threshold.IsMetBy(numerator, denominator) ? AreaStatus.Met : AreaStatus.Short;
    }

    /// <summary>
    /// The gap of an area's figures to the threshold as written (<see cref="TargetGap"/>), and whether it is counted over
    /// the whole population. A share of units is judged over its whole population until the coverage is reached, so its
    /// gap counts every unit not reported as one that does not comply yet but may still come to (they must all report):
    /// out of the numerator for "≥" and "&gt;", in it for a cap. Once judged over the units that reported, over them. A
    /// ratio of counts is over the counts reported (a unit not reported could bring any counts).
    /// </summary>
    public (long? Gap, bool OverPopulation) GapOf(int population, int missing, long numerator, long denominator)
    {
        if (population == 0)
            return (null, false);
        var overPopulation = !Rule.IsRatio && missing > 0 && !CoverageReached(population - missing, population);
        return overPopulation
            ? (TargetGap.ToMeet(Threshold, IsCap ? numerator + missing : numerator, denominator + missing), true)
            : (TargetGap.ToMeet(Threshold, numerator, denominator), false);
    }

    /// <summary>
    /// What a unit that falls short would move its areas' numerator by if it complied: 1 for a share of units; for a
    /// ratio, the counts it still lacks (denominator - numerator), or under a cap the counts it could take away (its
    /// numerator); null when it has not reported a ratio's counts.
    /// </summary>
    public long? EffectOf(Measured measured) =>
        !Rule.IsRatio ? 1
        : measured.Status != MeasureStatus.Short ? null
        : IsCap ? measured.Numerator
        : measured.Denominator - measured.Numerator;

    /// <summary>The units of the population among <paramref name="reports"/> that fall short and those not reported, with the effect of each on a ratio.</summary>
    public AreaUnits UnitsShort(IEnumerable<UnitReport> reports)
    {
        var units = AreaUnits.None;
        foreach (var report in reports)
        {
            if (Includes(report))
                units.Add(this, report.Unit.Code, Measure(report));
        }

        units.Sort();
        return units;
    }

    private bool CoverageReached(int reported, int population) =>
        CoverageMillionths is { } coverage && new Threshold(ComparisonOperator.AtLeast, coverage).IsMetBy(reported, population);

    public override string ToString() => Code;
}

/// <summary>What the engine needs of a rule: what it reads and how it measures one unit.</summary>
public interface ITargetRule
{
    /// <summary>The rule's name, as in its <c>[Name]</c>: what a target set names to use it.</summary>
    string RuleName { get; }

    /// <summary>The indicators the rule always reads, or null for a shape that reads the target's own indicators.</summary>
    IReadOnlyList<Indicator>? FixedReads { get; }

    /// <summary>Whether the rule tests a count against the target's <see cref="TargetFact.Minimum"/>.</summary>
    bool NeedsMinimum { get; }

    /// <summary>Whether the rule measures a ratio of two counts (the unit's own share is what it shows).</summary>
    bool IsRatio { get; }

    /// <summary>Why the rule cannot read these indicators (wrong number or type), or null when it can.</summary>
    string? CannotRead(IReadOnlyList<Indicator> indicators);

    Measured Measure(UnitReport report, TargetFact target);
}

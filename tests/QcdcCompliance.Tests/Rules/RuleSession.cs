using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;

namespace QcdcCompliance.Tests.Rules;

/// <summary>
/// Feeds facts straight into a session of the compiled rules, with the targets as the shipped target sets define
/// them, and reads what the rules yielded: the unit-level rules' shortfalls and the area roll-ups.
/// </summary>
public sealed class RuleSession
{
    public static readonly TargetRuleCatalogue Catalogue = new(QcdcRules.Assembly);
    public static readonly RuleEngine Engine = new(Catalogue);

    private static readonly ILookup<string, (Resolution Resolution, Target Target)> Shipped = QcdcRules.TargetSets()
        .Select(t => TargetSetImporter.ParseOrThrow(t.Name, t.Content, Catalogue))
        .SelectMany(set => set.Targets.Select(t => (set.Resolution, t)))
        .ToLookup(x => x.t.Code, x => (x.Resolution, x.t));

    public static readonly AreaRef Province = new(1, "P", "Tỉnh", AreaLevel.Province);
    public static readonly AreaRef District1 = new(2, "D1", "Huyện 1", AreaLevel.District);
    public static readonly AreaRef District2 = new(3, "D2", "Huyện 2", AreaLevel.District);
    public static readonly AreaRef Commune1 = new(4, "C1", "Xã 1", AreaLevel.Commune);
    public static readonly AreaRef Commune2 = new(5, "C2", "Xã 2", AreaLevel.Commune);
    public static readonly AreaRef Commune3 = new(6, "C3", "Xã 3", AreaLevel.Commune);

    public static readonly IReadOnlyList<AreaRef> InCommune1 = [Commune1, District1, Province];
    public static readonly IReadOnlyList<AreaRef> InCommune2 = [Commune2, District1, Province];
    public static readonly IReadOnlyList<AreaRef> InCommune3 = [Commune3, District2, Province];

    private readonly List<TargetFact> _targets = [];
    private readonly List<UnitReport> _reports = [];
    private int _nextUnit = 1;

    /// <summary>A session over the facts of <paramref name="period"/> (the shipped targets' settings in force then).</summary>
    public RuleSession(string period = "2020S1") => Period = PeriodCalendar.Default.Create(period);

    public Period Period { get; }

    /// <summary>
    /// The shipped target of that code, with its setting in force in the session's period; <paramref name="change"/>
    /// edits its stored settings first. <paramref name="bound"/> is the area its set binds (the country when null).
    /// </summary>
    public RuleSession Target(string code, Action<Target>? change = null, AreaRef? bound = null)
    {
        var (resolution, stored) = Shipped[code].Single(x => x.Target.InForceFor(Period));
        var target = new Target
        {
            Code = stored.Code, RuleName = stored.RuleName, Indicators = stored.Indicators, Population = stored.Population, Threshold = stored.Threshold,
            Minimum = stored.Minimum, CoverageMillionths = stored.CoverageMillionths, MeasuredOver = stored.MeasuredOver, Periods = stored.Periods,
            Severity = stored.Severity, TextVi = stored.TextVi, TextEn = stored.TextEn, ValidFrom = stored.ValidFrom, ValidTo = stored.ValidTo,
            Source = stored.Source, Basis = stored.Basis, NameVi = stored.NameVi, NameEn = stored.NameEn, Tags = stored.Tags,
        };
        change?.Invoke(target);
        _targets.Add(TargetFacts.From(resolution, target, Catalogue, bound, Period.Type)!);
        return this;
    }

    /// <summary>A shipped target's stored setting in force in the period, with its set.</summary>
    public static (Resolution Set, Target Target) ShippedTarget(string code, Period period) => Shipped[code].Single(x => x.Target.InForceFor(period));

    /// <summary>A target the test declares itself (a province's own set reusing a shipped rule by name).</summary>
    public RuleSession Target(Resolution set, Target target, AreaRef? bound = null)
    {
        _targets.Add(TargetFacts.From(set, target, Catalogue, bound, Period.Type) ?? throw new InvalidOperationException($"no rule named {target.RuleName}"));
        return this;
    }

    /// <summary>The shipped reporting regime (reporting.json), whose duties bind every unit.</summary>
    private static readonly Resolution Regime = QcdcRules.TargetSets()
        .Select(t => TargetSetImporter.ParseOrThrow(t.Name, t.Content, Catalogue).Resolution)
        .Single(r => r.DutiesJson != "[]");

    /// <summary>The units' duties as the targets in the session and the shipped regime make them (what REPORTED checks).</summary>
    public ReportingDuties Duties => ReportingDuties.Of(Period, _targets, [(Regime, null)]);

    public UnitReport Unit(string code, UnitKind kind, IReadOnlyList<AreaRef> path, bool union = false, params (Indicator Indicator, long? Value)[] values)
    {
        var slots = new long?[Indicators.Slots];
        foreach (var (indicator, value) in values)
            slots[indicator.Id] = value;
        var unit = new UnitFact(_nextUnit, code, code, kind, union, path, null);
        // What it owes, as the loader works it out: add the targets before the units.
        var report = new UnitReport(unit, _reports.Count, slots, Duties.MissingFor(unit, slots), Duties.Owed(unit).Count);
        _nextUnit++;
        _reports.Add(report);
        return report;
    }

    /// <summary>A report built by the test; its index must be the next one (<see cref="NextIndex"/>).</summary>
    public UnitReport Unit(UnitReport report)
    {
        _reports.Add(report);
        return report;
    }

    public int NextIndex => _reports.Count;

    public Result Fire()
    {
        var facts = new ScopeFacts(Period, new Area { Id = 1, Code = "P", Name = "Tỉnh" }, _reports, _targets, "test",
            _targets.Select(t => t.Set).OfType<Resolution>().Distinct().ToList(), Duties);
        var session = Engine.CreateSession();
        session.InsertAll(_targets);
        foreach (var batch in _reports.Chunk(RuleEngine.InsertBatch))
            session.InsertAll(batch);
        session.Fire();
        return new Result(session, facts);
    }

    public sealed class Result(NRules.ISession session, ScopeFacts facts)
    {
        public NRules.ISession Session { get; } = session;
        public SessionOutcome Outcome => SessionOutcome.Read(Session);

        /// <summary>Codes of the units the target's unit rule flagged.</summary>
        public IReadOnlyList<string> Flagged(string target) =>
            Outcome.Shortfalls.Where(s => s.Target.Code == target).Select(s => s.Report.Unit.Code).Order(StringComparer.Ordinal).ToList();

        public AreaOutcome? Area(string target, AreaRef area) =>
            Outcome.Areas.SingleOrDefault(a => a.Target.Code == target && a.Area.Id == area.Id);

        /// <summary>The findings the engine would store, in their order.</summary>
        public IReadOnlyList<FindingDraft> Findings => FindingBuilder.Build(facts, Outcome).Findings;

        public void Update(UnitReport report)
        {
            Session.Update(report);
            Session.Fire();
        }
    }
}

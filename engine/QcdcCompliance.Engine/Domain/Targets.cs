namespace QcdcCompliance.Domain;

/// <summary>A resolution (nghị quyết) or other document that sets a target set, e.g. Hà Tĩnh 02-NQ/TU of 12/5/2017.</summary>
public sealed class Resolution
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Title { get; set; }
    public string? Issuer { get; set; }
    public DateOnly IssuedOn { get; set; }

    /// <summary>The first and last day the set is in force: a period whose last day falls in between is judged by it.</summary>
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>
    /// The area whose subtree it binds, on each period's days; null only for a set that says it binds the country
    /// (<c>"scope": "national"</c>). The import refuses a set that says neither.
    /// </summary>
    public string? ScopeAreaCode { get; set; }

    /// <summary>Where the scope area was merged away (the 2025 reform), whether the set binds its successors: the committee's choice.</summary>
    public bool FollowsSuccessors { get; set; }

    /// <summary>How prose names the set: "Nghị quyết 02-NQ/TU".</summary>
    public string? ShortTitle { get; set; }

    /// <summary>The set as a sentence names it: its short title, else its title.</summary>
    public string NameInText => ShortTitle ?? Title;

    public bool IsNational => ScopeAreaCode is null;

    /// <summary>The document's number as a reader sees it: as its title writes it ("11-QĐi/TW"), not the code upper-cased for matching.</summary>
    public string Number => NumberAsWritten(Title, Code);

    /// <summary>
    /// A document's number as its title gives it ("Quy định số 11-QĐi/TW ngày …" → "11-QĐi/TW") when it is the code
    /// ignoring case, else the code: imports upper-case codes for matching, the office writes the number its own way.
    /// </summary>
    public static string NumberAsWritten(string? title, string code)
    {
        var at = title?.IndexOf("số ", StringComparison.Ordinal) ?? -1;
        if (at < 0)
            return code;
        var number = title![(at + 3)..].Split(' ', 2)[0].TrimEnd(',', ';', '.', ':');
        return string.Equals(number, code, StringComparison.OrdinalIgnoreCase) ? number : code;
    }

    /// <summary>
    /// What units must report whether or not a target reads it (the reporting regime), as JSON: a list of
    /// <c>{ population, indicators, periods, basis }</c>. Bound to the set's scope and validity like its targets.
    /// </summary>
    public string DutiesJson { get; set; } = "[]";

    /// <summary>The legal basis, with the dates each text was in force, as JSON.</summary>
    public required string LegalBasisJson { get; set; }

    /// <summary>SHA-256 of the target set as loaded: part of the rule-set version.</summary>
    public required string ContentHash { get; set; }

    public DateTime ImportedAt { get; set; }
    public List<Target> Targets { get; set; } = [];

    /// <summary>
    /// Whether the set judges the period: it is in force on the period's last day, as a setting is
    /// (<see cref="Target.InForceFor"/>). A set replaced mid-period by another with the same target codes (a new resolution
    /// from 1 July or 1 October) had overlapped the period beside its successor, and both fired one target code in one run.
    /// </summary>
    public bool AppliesTo(Period period) => InForceOn(period.End);

    /// <summary>Whether the set is in force on the day.</summary>
    public bool InForceOn(DateOnly day) => Dates.Contains(ValidFrom, ValidTo, day);
}

[Flags]
public enum MeasuredOver
{
    None = 0,
    Unit = 1,
    Commune = 2,
    District = 4,
    Province = 8,
}

/// <summary>
/// The one rule of where a target is judged, which says whether an area's figure of a target is a verdict of that area
/// or information only. A run judges the roll-up over an area of a level the target is measured over (an area finding
/// when it falls short), and each unit of a target measured over units (an area's figure then counts its units'
/// verdicts, each a finding of its own). Any other area's figure, such as a commune's share of a target measured over
/// districts and the province (NQ02-6b, the committee's KPIs), is judged nowhere: no run makes it a finding, explain
/// and the what-if have nothing of it, and the pages, the API, the report and the CLI show it as not judged at this
/// level (<see cref="AreaStatus.NotJudged"/>), never as short.
/// </summary>
public static class JudgedLevels
{
    public static MeasuredOver Flag(AreaLevel level) => level switch
    {
        AreaLevel.Province => MeasuredOver.Province,
        AreaLevel.District => MeasuredOver.District,
        _ => MeasuredOver.Commune,
    };

    /// <summary>Whether the roll-up over an area of this level is judged on its own: a finding of the area when it falls short.</summary>
    public static bool MeasuredAt(MeasuredOver over, AreaLevel level) => (over & Flag(level)) != 0;

    /// <summary>
    /// Whether an area's figure is a verdict of the area: its level is measured, or the target judges each unit (the
    /// figure counts their verdicts). <paramref name="judgesUnits"/>: measured over units, and not a year restating a
    /// half-year target (<see cref="Target.MeasuresUnitsOn"/>).
    /// </summary>
    public static bool JudgedAt(MeasuredOver over, bool judgesUnits, AreaLevel level) => judgesUnits || MeasuredAt(over, level);
}

[Flags]
public enum PeriodTypes
{
    None = 0,
    Year = 1,
    HalfYear = 2,
    Quarter = 4,
}

public enum Severity
{
    Low,
    Medium,
    High,
}

/// <summary>Where a target's setting comes from: a text of law, the resolution that sets it, or the committee alone.</summary>
public enum SettingSource
{
    /// <summary>A law, decree or Party regulation sets it (named in <see cref="Target.Basis"/>).</summary>
    Law,
    /// <summary>The resolution of the set states it.</summary>
    Resolution,
    /// <summary>No primary text supports it: the committee's own setting.</summary>
    Committee,
}

/// <summary>
/// A target of a resolution, as in force over [<see cref="ValidFrom"/>, <see cref="ValidTo"/>]: its indicator(s),
/// population, threshold (with the operator as written: "100%" is <c>&gt;= 1.00</c>, "trên 70%" is <c>&gt; 0.70</c>),
/// where it is measured and on which period types. A target whose settings changed by date (NQ02-7's workplace
/// dialogues: 4 a year under Decree 60/2013, 1 under the Labour Code 2019) is one row per setting. The logic is the
/// NRules rule class named by <see cref="RuleName"/> (the target's own code unless the set reuses a shipped rule);
/// everything here is data.
/// </summary>
public sealed class Target
{
    public int Id { get; set; }
    public int ResolutionId { get; set; }
    public Resolution? Resolution { get; set; }
    public required string Code { get; set; }

    /// <summary>The rule that measures it: a shipped rule's name ("NQ02-6b", or a shape such as "YES-NO").</summary>
    public required string RuleName { get; set; }

    /// <summary>The short name prose uses: "Chỉ tiêu 6b: thỏa ước lao động tập thể".</summary>
    public string? NameVi { get; set; }
    public string? NameEn { get; set; }

    /// <summary>What the target is about, comma-separated ("regulation", "labour-agreement"): what reports group by, never by code.</summary>
    public string Tags { get; set; } = "";

    /// <summary>The first and last day this setting is in force (null: the set's own validity).</summary>
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>
    /// The least share of the population that must have reported for an area's figure to be judged (null: every
    /// unit). Below it the area is "incomplete", never met.
    /// </summary>
    public long? CoverageMillionths { get; set; }

    public SettingSource Source { get; set; }

    /// <summary>The text this setting rests on (an article, a decree), or why it is the committee's.</summary>
    public string? Basis { get; set; }

    /// <summary>Indicator codes, comma-separated, in the order the rule reads them.</summary>
    public required string Indicators { get; set; }

    public required string Population { get; set; }
    public Threshold Threshold { get; set; }

    /// <summary>For count tests: the least count a unit must reach in the period (1 dialogue, 12 reception days).</summary>
    public long? Minimum { get; set; }

    public MeasuredOver MeasuredOver { get; set; }
    public PeriodTypes Periods { get; set; }
    public Severity Severity { get; set; }
    public required string TextVi { get; set; }
    public string? TextEn { get; set; }

    public bool EvaluatedOn(PeriodType type) => (Periods & ToFlag(type)) != 0;

    /// <summary>
    /// Whether a period of this type restates the half-year target on its own readings: a year, for a target evaluated
    /// on half-years and not on years. It is judged over areas only; its units were flagged and told in the halves.
    /// </summary>
    public bool RestatedOn(PeriodType type) => type == PeriodType.Year && !EvaluatedOn(PeriodType.Year) && EvaluatedOn(PeriodType.HalfYear);

    /// <summary>
    /// The levels a target is judged at in a period of this type: as set, except that a year restating a target set
    /// over units only judges it over the districts and the province, where the year states it (QĐ 11's "198/208
    /// communes" is a shortfall of the province, a finding an auditor can list, not a status with nothing behind it).
    /// </summary>
    public MeasuredOver MeasuredOverOn(PeriodType type) =>
        RestatedOn(type) && (MeasuredOver & (MeasuredOver.Commune | MeasuredOver.District | MeasuredOver.Province)) == 0
            ? MeasuredOver | MeasuredOver.District | MeasuredOver.Province
            : MeasuredOver;

    /// <summary>Whether a period of this type judges the target unit by unit: measured over units, and no year restating it (its units were told in the halves).</summary>
    public bool MeasuresUnitsOn(PeriodType type) => (MeasuredOver & MeasuredOver.Unit) != 0 && !RestatedOn(type);

    /// <summary>
    /// Whether an area's figure of the target in a period of this type is a verdict of the area, as a run of the period
    /// judges it (<see cref="JudgedLevels"/>): false for a commune's share of a target measured over districts and the province.
    /// </summary>
    public bool JudgedAt(AreaLevel level, PeriodType type) => JudgedLevels.JudgedAt(MeasuredOverOn(type), MeasuresUnitsOn(type), level);

    /// <summary>Whether this setting is the one in force for a period: the one in force on its last day.</summary>
    public bool InForceFor(Period period) => (ValidFrom is null || ValidFrom <= period.End) && (ValidTo is null || ValidTo >= period.End);

    public IEnumerable<string> TagList => Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static PeriodTypes ToFlag(PeriodType type) => type switch
    {
        PeriodType.Year => PeriodTypes.Year,
        PeriodType.HalfYear => PeriodTypes.HalfYear,
        _ => PeriodTypes.Quarter,
    };
}

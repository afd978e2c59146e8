namespace QcdcCompliance.Domain;

/// <summary>A resolution (nghị quyết) or other document that sets a target set, e.g. Hà Tĩnh 02-NQ/TU of 12/5/2017.</summary>
public sealed class Resolution
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Title { get; set; }
    public string? Issuer { get; set; }
    public DateOnly IssuedOn { get; set; }

    /// <summary>Periods overlapping [ValidFrom, ValidTo] are evaluated against this set's targets.</summary>
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    /// <summary>The province it binds (null: any scope).</summary>
    public string? ScopeAreaCode { get; set; }

    /// <summary>The legal basis, with the dates each text was in force, as JSON.</summary>
    public required string LegalBasisJson { get; set; }

    /// <summary>SHA-256 of the target set as loaded: part of the rule-set version.</summary>
    public required string ContentHash { get; set; }

    public DateTime ImportedAt { get; set; }
    public List<Target> Targets { get; set; } = [];

    public bool AppliesTo(Period period) => Dates.Overlaps(ValidFrom, ValidTo, period.Start, period.End);
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

/// <summary>
/// A target of a resolution: its indicator(s), population, threshold (with the operator as written: "100%" is
/// <c>&gt;= 1.00</c>, "trên 70%" is <c>&gt; 0.70</c>), where it is measured and on which period types. The logic is the
/// NRules rule class named by <see cref="Code"/>; everything here is data.
/// </summary>
public sealed class Target
{
    public int Id { get; set; }
    public int ResolutionId { get; set; }
    public Resolution? Resolution { get; set; }
    public required string Code { get; set; }

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

    public static PeriodTypes ToFlag(PeriodType type) => type switch
    {
        PeriodType.Year => PeriodTypes.Year,
        PeriodType.HalfYear => PeriodTypes.HalfYear,
        _ => PeriodTypes.Quarter,
    };
}

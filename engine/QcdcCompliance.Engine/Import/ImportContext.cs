namespace QcdcCompliance.Import;

/// <summary>Who imports, when, and what they may touch.</summary>
public sealed record ImportContext(string StoredBy, TimeProvider Clock)
{
    /// <summary>When set, only units and areas inside this area's subtree may be written (a reporter's own area).</summary>
    public int? RestrictToAreaId { get; init; }

    /// <summary>How much of a file is read before it is refused.</summary>
    public Files.ImportLimits Limits { get; init; } = Files.ImportLimits.Default;

    /// <summary>For a target set: the area it binds instead of the file's own scope (a province adopting a shipped set).</summary>
    public string? Scope { get; init; }

    /// <summary>
    /// For values: how numbers typed as text are read when the caller knows it better than the file's format can tell.
    /// The workspace's entry form sends what an officer typed on a page as JSON rows; read as JSON's sure '.' decimal,
    /// "2.000" (two thousand, as Vietnamese writes it) was stored as 2, while the same text in a workbook's text cell or a
    /// ',' CSV is refused naming both readings. Null: the file's own convention.
    /// </summary>
    public Files.NumberConvention? Numbers { get; init; }

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;
}

public enum ImportKind
{
    Areas,
    Lineage,
    Units,
    Values,
    Targets,
}

/// <summary>What an accepted import changed.</summary>
public sealed record ImportSummary(ImportKind Kind, string File, int Rows, int Inserted, int Updated, int Unchanged)
{
    /// <summary>
    /// Periods and provinces whose data changed: the scopes to re-evaluate after a values import. A year whose readings
    /// changed with a half-year value (a count summed over its halves, a state read as its S2 value) is one of them.
    /// </summary>
    public IReadOnlyList<(string Period, string Scope)> TouchedScopes { get; init; } = [];

    /// <summary>The units whose values changed, by period and province: what an incremental re-evaluation updates.</summary>
    public IReadOnlyList<(string Period, string Scope, int UnitId)> TouchedUnits { get; init; } = [];

    /// <summary>The values stored before that a filled template's empty cells kept (an import leaves what it does not name).</summary>
    public int KeptByBlankCells { get; init; }

    /// <summary>What the import did beyond storing rows that the user should know of (stored values a blank cell kept), in English.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public override string ToString() =>
        $"{File}: {Rows} rows read; {Inserted} new, {Updated} changed, {Unchanged} unchanged" + string.Concat(Notes.Select(n => "; " + n));
}

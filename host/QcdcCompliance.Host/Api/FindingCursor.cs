namespace QcdcCompliance.Host.Api;

/// <summary>
/// Where a page of findings ended, as an opaque token: the sort key (target, subject code, id) of its last row. The
/// next page starts strictly after it, so pages never repeat or skip a row however many there are, and each page is
/// one index range scan rather than an offset over everything before it.
/// </summary>
public readonly record struct FindingCursor(string Target, string Subject, long Id)
{
    public static FindingCursor Of(Finding f) => new(f.TargetCode, f.SubjectCode, f.Id);

    public string Encode() => CursorToken.Encode(Target, Subject, Id);

    public static bool TryDecode(string? text, out FindingCursor cursor) =>
        CursorToken.TryDecode(text, 3, items =>
            items[0].GetString() is { } target && items[1].GetString() is { } subject && items[2].TryGetInt64(out var id)
                ? (true, new FindingCursor(target, subject, id))
                : (false, default), out cursor);

    /// <summary>
    /// The rows after the cursor in the order of <c>FindingQueries.CurrentAsync</c> (compared by the database, as it
    /// sorts). On PostgreSQL as one row-value comparison, <c>(target, subject, id) &gt; (...)</c>, which the index on
    /// (period, target, subject, id) starts its scan at; the same test spelt out with OR, which the other providers
    /// need, made PostgreSQL read every row of the period before the cursor (400 ms for a page deep in a 1,000,000-unit
    /// country instead of 1 ms).
    /// </summary>
    public IQueryable<Finding> After(IQueryable<Finding> query, QcdcDbContext db)
    {
        var (target, subject, id) = (Target, Subject, Id);
        if (db.Database.IsNpgsql())
            return query.Where(f => EF.Functions.GreaterThan(ValueTuple.Create(f.TargetCode, f.SubjectCode, f.Id), ValueTuple.Create(target, subject, id)));
        return query.Where(f => string.Compare(f.TargetCode, target) > 0
                                || (f.TargetCode == target && (string.Compare(f.SubjectCode, subject) > 0 || (f.SubjectCode == subject && f.Id > id))));
    }
}

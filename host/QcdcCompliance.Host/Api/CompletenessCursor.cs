using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Where a page of a completeness answer's units ended, as an opaque token: the code of its last unit, the key the pages
/// are in (unit code, ordinal). A unit's code does not change between two pages, its state does (a report comes in): with
/// the state in the key, a unit listed Missing on one page came back Late on a later one, and a walk of the pages counted
/// one unit more than the area has. The next page starts strictly after the code, so no unit is listed twice or skipped.
/// </summary>
public readonly record struct CompletenessCursor(string Unit)
{
    public static CompletenessCursor Of(UnitSubmission u) => new(u.UnitCode);

    public string Encode() => CursorToken.Encode(Unit);

    public static bool TryDecode(string? text, out CompletenessCursor cursor) =>
        CursorToken.TryDecode(text, 1, items => items[0].GetString() is { } unit ? (true, new CompletenessCursor(unit)) : (false, default), out cursor);

    /// <summary>Whether the unit comes after the cursor in the pages' order (unit code, ordinal).</summary>
    public bool Precedes(UnitSubmission u) => string.CompareOrdinal(u.UnitCode, Unit) > 0;
}

using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Where a page of a completeness answer's units ended, as an opaque token: the sort key (state, unit code) of its last
/// unit. The next page starts strictly after it, so a unit whose report came in between two pages (its state moved) is
/// neither listed twice nor makes the rest of the list shift by one.
/// </summary>
public readonly record struct CompletenessCursor(SubmissionState State, string Unit)
{
    public static CompletenessCursor Of(UnitSubmission u) => new(u.State, u.UnitCode);

    public string Encode() => CursorToken.Encode(State.ToString(), Unit);

    public static bool TryDecode(string? text, out CompletenessCursor cursor) =>
        CursorToken.TryDecode(text, 2, items =>
            items[0].GetString() is { } state && Enum.TryParse<SubmissionState>(state, out var parsed) && Enum.IsDefined(parsed) && items[1].GetString() is { } unit
                ? (true, new CompletenessCursor(parsed, unit))
                : (false, default), out cursor);

    /// <summary>Whether the unit comes after the cursor in the answer's order (state, then unit code, ordinal).</summary>
    public bool Precedes(UnitSubmission u) => u.State > State || (u.State == State && string.CompareOrdinal(u.UnitCode, Unit) > 0);
}

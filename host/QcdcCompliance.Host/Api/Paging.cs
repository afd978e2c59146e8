namespace QcdcCompliance.Host.Api;

/// <summary>
/// The page a list asks for: <c>?limit=</c> (1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent) and
/// <c>?cursor=</c>, what the previous page gave as <c>next</c>.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const string LimitRange = "limit is between 1 and 1000; follow 'next' for more";

    public delegate bool CursorReader<TCursor>(string text, out TCursor cursor);

    /// <summary>The page size and the cursor to start after (null: the first page); or the 400 that says what is wrong.</summary>
    public static ProblemHttpResult? Refusal<TCursor>(int? limit, string? cursor, CursorReader<TCursor> read, out int size, out TCursor? after)
        where TCursor : struct
    {
        (size, after) = (limit ?? DefaultLimit, null);
        if (size is < 1 or > MaxLimit)
            return Caller.BadRequest(LimitRange);
        if (cursor is null)
            return null;
        if (!read(cursor, out var decoded))
            return Caller.BadRequest("cursor is not one this API gave; start again without it");
        after = decoded;
        return null;
    }
}

namespace QcdcCompliance.Host.Api;

/// <summary>The dates a query may name: a day past them (9999-12-31 and the day after) cannot be computed, and means nothing here.</summary>
public static class DateBounds
{
    public static readonly DateOnly Min = new(1900, 1, 1);
    public static readonly DateOnly Max = new(9998, 12, 31);

    public static bool Allows(DateOnly day) => day >= Min && day <= Max;

    /// <summary>
    /// The first instant of a day in Viet Nam, in UTC: the days a query names (<c>?from=&amp;to=</c>) are the days the
    /// dashboard shows and deadlines count, so a run started at 01:30 on 08/12 in Viet Nam (18:30 UTC on 07/12) is of 08/12.
    /// </summary>
    public static DateTime StartUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), VietnamTime.Zone);

    /// <summary>400 naming <c>to</c> when it is before <c>from</c> (an empty answer would read as "nothing happened"); null otherwise.</summary>
    public static ProblemHttpResult? Reversed<T>(T? from, T? to) where T : struct, IComparable<T> =>
        from is { } first && to is { } last && last.CompareTo(first) < 0
            ? Caller.Invalid("to", $"to {Text(last)} is before from {Text(first)}: give the first, then the last")
                .InVietnamese($"to {Text(last)} ở trước from {Text(first)}: from là đầu khoảng, to là cuối khoảng")
            : null;

    private static string Text<T>(T value) => value is DateOnly day ? day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : $"{value}";

    /// <summary>400 naming the bounds when a date is outside them; null when every date is inside.</summary>
    public static ProblemHttpResult? Refusal(params DateOnly?[] days) =>
        days.Any(d => d is { } day && !Allows(day))
            ? Caller.BadRequest($"dates are between {Min:yyyy-MM-dd} and {Max:yyyy-MM-dd} (yyyy-mm-dd)")
                .InVietnamese($"ngày phải từ {Min:yyyy-MM-dd} đến {Max:yyyy-MM-dd} (yyyy-mm-dd)")
            : null;
}

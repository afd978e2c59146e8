namespace QcdcCompliance.Host.Api;

/// <summary>The dates a query may name: a day past them (9999-12-31 and the day after) cannot be computed, and means nothing here.</summary>
public static class DateBounds
{
    public static readonly DateOnly Min = new(1900, 1, 1);
    public static readonly DateOnly Max = new(9998, 12, 31);

    public static bool Allows(DateOnly day) => day >= Min && day <= Max;

    /// <summary>400 naming the bounds when a date is outside them; null when every date is inside.</summary>
    public static ProblemHttpResult? Refusal(params DateOnly?[] days) =>
        days.Any(d => d is { } day && !Allows(day))
            ? Caller.BadRequest($"dates are between {Min:yyyy-MM-dd} and {Max:yyyy-MM-dd} (yyyy-mm-dd)")
            : null;
}

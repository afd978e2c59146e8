namespace QcdcCompliance.Domain;

/// <summary>Times are stored in UTC and read in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) whatever the server's zone.</summary>
public static class VietnamTime
{
    public static TimeZoneInfo Zone { get; } = Find();

    public static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>Today's date in Viet Nam.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Local(clock.GetUtcNow().UtcDateTime));

    /// <summary>The last instant of a day in Viet Nam, in UTC: a deadline "by 20/07/2020" is met until then.</summary>
    public static DateTime EndOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Zone).AddTicks(-1);

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine without the time zone database: Viet Nam has kept UTC+7 without daylight saving since 1975.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam (UTC+7)", "Giờ Việt Nam");
        }
    }
}

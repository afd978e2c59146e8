using System.Globalization;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Reports;

/// <summary>
/// Numbers, shares, dates and times as a reader of the language writes them: in Vietnamese 1.327.453, 99,6%, 29/07/2020
/// and times in Asia/Ho_Chi_Minh; in English 1,327,453, 99.6%, the same day-first dates and the same clock. Shares follow
/// the one rule of <see cref="Shares.RoundPercent"/>: rounded half up, a share short of 100% never reads as 100 and one
/// above 0 never as 0, and a share shown beside its threshold never reads on the other side of it (69,9% for 2.333/3.333
/// beside ≥ 70%). The dashboard, the reports and the e-mails write shares through this class; the XLSX stores the exact share.
/// </summary>
public sealed class DisplayFormat
{
    public static readonly DisplayFormat Vietnamese = new(ReportLanguage.Vi, ".", ",");
    public static readonly DisplayFormat English = new(ReportLanguage.En, ",", ".");

    /// <summary>Viet Nam keeps UTC+7 all year; the fixed offset stands in where the time-zone database is missing.</summary>
    public static readonly TimeZoneInfo VietnamTime = FindVietnamTime();

    private readonly NumberFormatInfo _numbers;

    private DisplayFormat(ReportLanguage language, string group, string decimalSeparator)
    {
        Language = language;
        _numbers = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        _numbers.NumberGroupSeparator = group;
        _numbers.NumberDecimalSeparator = decimalSeparator;
        _numbers.NegativeSign = "-";
    }

    public ReportLanguage Language { get; }

    public static DisplayFormat For(ReportLanguage language) => language == ReportLanguage.En ? English : Vietnamese;

    public string Number(long value) => value.ToString("#,0", _numbers);

    public string Number(long? value) => value is { } v ? Number(v) : "";

    /// <summary>A share as a percentage by the rule, to <paramref name="decimals"/>: 73,8% for 240/325 (74% in whole percents).</summary>
    public string Percent(long numerator, long denominator, int decimals = 1) =>
        denominator > 0 ? Shown(PercentValue(numerator, denominator, decimals), decimals) : "–";

    /// <summary>
    /// A share beside the threshold it is judged by (a table's row, a chart's bar, a finding): kept on the exact share's
    /// side of it, so 2.333/3.333 beside ≥ 70% reads 69,9% and 8.501/10.000 beside &gt; 85% reads 85,1%.
    /// </summary>
    public string Percent(long numerator, long denominator, Domain.Threshold? beside, int decimals = 1) =>
        denominator > 0 ? Shown(Shares.RoundPercent(numerator, denominator, decimals, beside), decimals) : "–";

    /// <summary>A ratio as a committee states it: the share (beside its threshold when it has one), then the counts it comes from: "90,0% (1.233/1.374 đơn thư)".</summary>
    public string Ratio(long numerator, long denominator, string? unit = null, Domain.Threshold? beside = null) =>
        $"{Percent(numerator, denominator, beside)} ({Number(numerator)}/{Number(denominator)}{(unit is { Length: > 0 } ? " " + unit : "")})";

    /// <summary>A share as the shown percentage value, for charts and changes (99.7 for 99.67%).</summary>
    public static decimal PercentValue(long numerator, long denominator, int decimals = 1) =>
        Shares.RoundPercent(numerator, denominator, decimals);

    /// <summary>
    /// A share as the fraction a spreadsheet stores: the exact numerator over denominator, so that a filter "share ≥
    /// threshold" agrees with the verdict (2.333/3.333 is 0,69997, not the 0,7 its rounded figure would be).
    /// </summary>
    public static decimal? Fraction(long numerator, long denominator) =>
        denominator > 0 ? numerator / (decimal)denominator : null;

    /// <summary>
    /// A share judged by no threshold beside it (a reporting rate, an earlier period's share) as the fraction a spreadsheet
    /// shows under a 0.0% format: the shown percentage over 100, so 9.999/10.000 reads 99,9% there too, never 100,0%.
    /// </summary>
    public static decimal? ShownFraction(long numerator, long denominator) =>
        denominator > 0 ? PercentValue(numerator, denominator) / 100m : null;

    /// <summary>A rounded percentage with its sign, keeping any digit it gained to stay on its side of a threshold.</summary>
    private string Shown(decimal percent, int decimals) => percent.ToString(Shares.NumberFormat("#,0", decimals), _numbers) + "%";

    public string Decimal(decimal value, int decimals) =>
        value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), _numbers);

    /// <summary>A change in percentage points with its sign: +0,4; −1,2; 0,0.</summary>
    public string Change(decimal points) =>
        (points > 0 ? "+" : points < 0 ? "−" : "") + Decimal(Math.Abs(points), 1);

    /// <summary>A threshold as written: ≥ 100%, &gt; 70%.</summary>
    public string Threshold(Domain.ComparisonOperator op, long millionths) =>
        $"{Symbol(op)}\u00a0{Decimal(millionths * 100m / Domain.Threshold.One, millionths % 10_000 == 0 ? 0 : 2)}%";

    /// <summary>
    /// A test as a trend point or a what-if stores it for machines (">= 85%", a count's ">= 4") as every table writes one
    /// ("≥ 85%", "≥ 4"); the text as it is if it is neither. A count is not a share: ">= 1" is one, never 100%.
    /// </summary>
    public string Test(string test) =>
        test.Split(' ', 2) is [var op, var figure] && Domain.Threshold.TryParseOperator(op, out var parsed)
            ? figure.EndsWith('%') && Domain.Threshold.TryParseShare(figure, out var millionths) ? Threshold(parsed, millionths)
            : long.TryParse(figure, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? $"{Symbol(parsed)}\u00a0{Number(count)}"
            : test
            : test;

    public static string Symbol(Domain.ComparisonOperator op) => op switch
    {
        Domain.ComparisonOperator.AtLeast => "≥",
        Domain.ComparisonOperator.MoreThan => ">",
        Domain.ComparisonOperator.AtMost => "≤",
        _ => "<",
    };

    public string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A stored UTC time as the clock in Viet Nam shows it: 19:11 26/11/2026.</summary>
    public string Time(DateTime utc) => Local(utc).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static DateTime Local(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), VietnamTime);

    /// <summary>The day in Viet Nam at a given instant.</summary>
    public static DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant.UtcDateTime));

    private static TimeZoneInfo FindVietnamTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Giờ Việt Nam (UTC+7)", "Giờ Việt Nam");
        }
    }
}

using System.Globalization;

namespace QcdcCompliance.Domain;

public enum PeriodType
{
    Year,
    HalfYear,
    Quarter,
}

/// <summary>
/// A reporting period with DHIS2-style codes: <c>2020</c>, <c>2020S1</c>, <c>2020S2</c> (and <c>2020Q1</c>, which is read
/// where an older version stored it but no longer accepted from a user: see <see cref="PeriodCode.TryParse"/>). Start and
/// end are the data window; the deadline is when reports are due. Both follow settings (<see cref="PeriodCalendar"/>).
/// </summary>
public sealed class Period : Coded
{
    public PeriodType Type { get; set; }
    public int Year { get; set; }

    /// <summary>1 or 2 for half-years, 1-4 for quarters, 0 for a year.</summary>
    public int Number { get; set; }

    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public DateOnly Deadline { get; set; }

    /// <summary>The two halves of a year, in order (a year target reads half-year indicators through them).</summary>
    public static (string First, string Second) HalvesOf(int year) => ($"{year}S1", $"{year}S2");

    /// <summary>The period before this one of the same type (for trends).</summary>
    public string PreviousCode() => Type switch
    {
        PeriodType.Year => (Year - 1).ToString(CultureInfo.InvariantCulture),
        PeriodType.HalfYear => Number == 1 ? $"{Year - 1}S2" : $"{Year}S1",
        _ => Number == 1 ? $"{Year - 1}Q4" : $"{Year}Q{Number - 1}",
    };

    /// <summary>
    /// Whether the period is over in Viet Nam: only then is it evaluated (its data cannot be complete before, and a run
    /// is a link of the audit chain for good).
    /// </summary>
    public bool HasEnded(TimeProvider clock) => End < VietnamTime.Today(clock);

    /// <summary>Whether the period has begun in Viet Nam (its first day is today or before).</summary>
    public bool HasBegun(TimeProvider clock) => Start <= VietnamTime.Today(clock);

    /// <summary>
    /// Why nothing is done for a period that has not begun in Viet Nam, or null once it has: no unit can have reported for
    /// it, and it is almost always a mistyped year (2099 for 2019). One wording for every door (evaluate, import, template),
    /// each saying what it does not do (<paramref name="consequence"/>: "it is not evaluated and nothing is stored").
    /// </summary>
    public string? NotBegun(TimeProvider clock, string consequence)
    {
        if (HasBegun(clock))
            return null;
        var (starts, today) = (Start.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), VietnamTime.Today(clock).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
        return $"period {Code} has not begun: it starts on {starts} and today is {today} (Asia/Ho_Chi_Minh); no unit can have reported for it, "
               + $"so {consequence}; check the period code (a mistyped year?)";
    }

    /// <summary>
    /// The refusal of <see cref="NotBegun"/> as a request refuses it (the template, the completeness, the evaluation):
    /// in English and in Vietnamese (<see cref="NotBegunInVietnamese"/>), or null once the period has begun.
    /// </summary>
    public EvaluationRequestException? NotBegunRefusal(TimeProvider clock, string consequence) => NotBegun(clock, consequence) is { } refusal
        ? new EvaluationRequestException(refusal, NotBegunInVietnamese(Code, Start.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            VietnamTime.Today(clock).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)))
        : null;

    /// <summary>A period not begun (<see cref="NotBegun"/>) in Vietnamese: the one wording of a request's refusal and of an import's problem (<c>Reports.ImportWording</c>).</summary>
    public static string NotBegunInVietnamese(string code, string starts, string today) =>
        $"kỳ {code} chưa bắt đầu: kỳ bắt đầu ngày {starts}, hôm nay là {today} (giờ Việt Nam); chưa đơn vị nào có thể báo cáo kỳ này: kiểm tra lại mã kỳ (nhầm năm?)";

    public override string ToString() => Code;
}

/// <summary>A parsed period code, before the calendar settings give it dates.</summary>
public readonly record struct PeriodCode(PeriodType Type, int Year, int Number)
{
    public string Code => Type switch
    {
        PeriodType.Year => Year.ToString(CultureInfo.InvariantCulture),
        PeriodType.HalfYear => $"{Year}S{Number}",
        _ => $"{Year}Q{Number}",
    };

    /// <summary>What every refusal of a period code a user wrote tells them to write.</summary>
    public const string Hint = "write 2020 (year), 2020S1 or 2020S2 (half-years)";

    /// <summary>
    /// A period a user may name: a year (<c>2020</c>) or a half-year (<c>2020S1</c>, <c>2020S2</c>). Not a quarter: no
    /// indicator is reported per quarter and committees review by half-year and year, so a quarter could only hold an
    /// empty run, an empty template or a 0/0 report. Codes read back from the database go through <see cref="TryParseStored"/>.
    /// </summary>
    public static bool TryParse(string? text, out PeriodCode code)
    {
        if (TryParseStored(text, out code) && code.Type != PeriodType.Quarter)
            return true;
        code = default;
        return false;
    }

    /// <summary>
    /// A period code as it may be stored: a year, a half-year, or a quarter (<c>2020Q1</c>) that an older version let
    /// a user evaluate; for naming and ordering what is stored, never for reading what a user asks.
    /// </summary>
    public static bool TryParseStored(string? text, out PeriodCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim().ToUpperInvariant();
        if (s.Length < 4 || !int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1990 || year > 2100)
            return false;
        if (s.Length == 4)
        {
            code = new PeriodCode(PeriodType.Year, year, 0);
            return true;
        }

        if (s.Length != 6 || !char.IsAsciiDigit(s[5]))
            return false;
        var number = s[5] - '0';
        (code, var ok) = s[4] switch
        {
            'S' => (new PeriodCode(PeriodType.HalfYear, year, number), number is 1 or 2),
            'Q' => (new PeriodCode(PeriodType.Quarter, year, number), number is >= 1 and <= 4),
            _ => (default, false),
        };
        return ok;
    }

    public override string ToString() => Code;
}

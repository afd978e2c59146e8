using System.Globalization;

namespace QcdcCompliance.Domain;

/// <summary>
/// Settings of the reporting regime (section <c>Periods</c>): how long after a period's end its reports are due, and an
/// optional shift of the data windows (the national regime of Decree 09/2019 counts a half-year from 15 December).
/// </summary>
public sealed class PeriodCalendarOptions
{
    /// <summary>Deadlines as <c>N</c>D (days) or <c>N</c>M (months) after the period's end.</summary>
    public string YearDeadline { get; set; } = "3M";
    public string HalfYearDeadline { get; set; } = "20D";
    public string QuarterDeadline { get; set; } = "15D";

    /// <summary>Days added to every window's start and end (e.g. -17 makes 2020S1 run from 15/12/2019 to 14/6/2020).</summary>
    public int WindowShiftDays { get; set; }
}

/// <summary>Gives a period code its start, end and deadline.</summary>
public sealed class PeriodCalendar(PeriodCalendarOptions options)
{
    public static PeriodCalendar Default { get; } = new(new PeriodCalendarOptions());

    public Period Create(PeriodCode code)
    {
        var (start, end) = code.Type switch
        {
            PeriodType.Year => (new DateOnly(code.Year, 1, 1), new DateOnly(code.Year, 12, 31)),
            PeriodType.HalfYear => code.Number == 1
                ? (new DateOnly(code.Year, 1, 1), new DateOnly(code.Year, 6, 30))
                : (new DateOnly(code.Year, 7, 1), new DateOnly(code.Year, 12, 31)),
            _ => (new DateOnly(code.Year, (code.Number * 3) - 2, 1),
                  new DateOnly(code.Year, code.Number * 3, 1).AddMonths(1).AddDays(-1)),
        };
        start = start.AddDays(options.WindowShiftDays);
        end = end.AddDays(options.WindowShiftDays);
        var deadline = After(end, code.Type switch
        {
            PeriodType.Year => options.YearDeadline,
            PeriodType.HalfYear => options.HalfYearDeadline,
            _ => options.QuarterDeadline,
        });
        return new Period
        {
            Code = code.Code,
            Type = code.Type,
            Year = code.Year,
            Number = code.Number,
            Start = start,
            End = end,
            Deadline = deadline,
        };
    }

    /// <summary>
    /// The half-year running on a day (in Asia/Ho_Chi_Minh: the caller's <paramref name="today"/>): begun on or before it,
    /// not ended before it, its window shifted as every period's is.
    /// </summary>
    public Period RunningHalfYear(DateOnly today) =>
        Enumerable.Range(today.Year - 1, 3).SelectMany(year => new[] { 1, 2 }.Select(half => Create(new PeriodCode(PeriodType.HalfYear, year, half))))
            .First(p => p.Start <= today && today <= p.End);

    public Period Create(string code) =>
        PeriodCode.TryParseStored(code, out var parsed)
            ? Create(parsed)
            : throw new FormatException($"'{code}' is not a period code (use 2020, 2020S1, 2020S2 or 2020Q1)");

    private static DateOnly After(DateOnly end, string offset)
    {
        var text = offset.Trim().ToUpperInvariant();
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            if (text[^1] == 'D')
                return end.AddDays(n);
            if (text[^1] == 'M')
                return end.AddDays(1).AddMonths(n).AddDays(-1);
        }

        throw new FormatException($"Periods deadline '{offset}' is not N followed by D (days) or M (months), e.g. 20D or 3M");
    }
}

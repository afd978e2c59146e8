using System.Globalization;
using System.Text;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Findings;

/// <summary>
/// The findings CSV that the CLI and the API both write, byte for byte the same:
/// <c>period,target,subject_type,subject_code,subject_name,state,measured,numerator,denominator,threshold,operator,severity,outcome,gap</c>
/// (outcome: short, missing for a unit that did not report, incomplete for an area whose units have not all reported;
/// gap: on an area finding, the fewest units or counts that must change to meet the threshold, <see cref="TargetGap"/>).
/// Text cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe.
/// </summary>
public static class FindingCsv
{
    public const string Header = "period,target,subject_type,subject_code,subject_name,state,measured,numerator,denominator,threshold,operator,severity,outcome,gap";

    public static string Write(IEnumerable<FindingView> findings)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var f in findings)
            AppendRow(text, f);
        return text.ToString();
    }

    public static void AppendRow(StringBuilder text, FindingView f)
    {
        text.AppendJoin(',',
            f.Period, f.TargetCode, f.SubjectType.ToString(), Cell(f.SubjectCode), Cell(f.SubjectName), f.State.ToString(), Measured(f),
            Number(f.Measurement.Numerator), Number(f.Measurement.Denominator), Threshold(f), Domain.Threshold.SymbolOf(f.Measurement.Operator), f.Severity.ToString(),
            Outcome(f.Measurement.Outcome), Number(f.Measurement.Gap));
        text.Append('\n');
    }

    /// <summary>What was measured: the share for an area or a ratio, the raw value otherwise, empty when nothing was reported.</summary>
    public static string Measured(FindingView f) =>
        f.SubjectType == SubjectType.Unit && f.Measurement.Value is not null ? Number(f.Measurement.Value)
        : f.Measurement.Denominator is > 0 ? Shares.Format(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)
        : "";

    /// <summary>The test's bound: the least count for a count test on a unit, else the share threshold.</summary>
    public static string Threshold(FindingView f) =>
        f.SubjectType == SubjectType.Unit && f.Measurement.Minimum is { } minimum
            ? minimum.ToString(CultureInfo.InvariantCulture)
            : Shares.FormatMillionths(f.Measurement.ThresholdMillionths);

    public static string Outcome(FindingOutcome outcome) => outcome switch
    {
        FindingOutcome.Missing => "missing",
        FindingOutcome.Incomplete => "incomplete",
        _ => "short",
    };

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>CSV-quoted when needed; a leading = + - @ (a formula to a spreadsheet) gets an apostrophe.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

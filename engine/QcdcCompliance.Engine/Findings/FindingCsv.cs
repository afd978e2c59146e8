using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Findings;

/// <summary>
/// The findings CSV that the CLI and the API both write, byte for byte the same:
/// <c>period,target,subject_type,subject_code,subject_name,state,measured,numerator,denominator,threshold,operator,severity,outcome,gap,resolution,unit_closed_on</c>
/// (outcome: short, missing for a unit that did not report, incomplete for an area whose units have not all reported;
/// on a resolved finding what the run that resolved it read: met, or not-measured when it read nothing of the subject;
/// gap: on an area finding, the fewest units or counts that must change to meet the threshold, <see cref="TargetGap"/>;
/// resolution: on a resolved finding, Remedied, UnitClosed with the unit's last active day in unit_closed_on,
/// NoLongerEvaluated when its target no longer judges the subject, or LeftPopulation when the unit left the target's
/// population (moved out of the province, changed kind), <see cref="FindingResolutions"/>).
/// Text cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe. The file is UTF-8 and
/// starts with a byte-order mark, so that Excel opens its Vietnamese names right (without it Excel reads the bytes as
/// Windows-1252); the CLI and the API both write it, and stay byte for byte the same.
/// </summary>
public static class FindingCsv
{
    /// <summary>The byte-order mark (U+FEFF, EF BB BF in UTF-8) the file starts with.</summary>
    public const string Bom = CsvWriter.Bom;

    public const string Header = "period,target,subject_type,subject_code,subject_name,state,measured,numerator,denominator,threshold,operator,severity,outcome,gap,resolution,unit_closed_on";

    public static string Write(IEnumerable<FindingView> findings) => CsvWriter.Text(csv =>
    {
        WriteHeader(csv);
        foreach (var f in findings)
            WriteRow(csv, f);
    }, bom: true);

    public static void WriteHeader(CsvWriter csv) => csv.Row(Header.Split(','));

    public static void WriteRow(CsvWriter csv, FindingView f) =>
        csv.Row(f.Period, f.TargetCode, CsvCell.Figure(f.SubjectType.ToString()), f.SubjectCode, f.SubjectName, CsvCell.Figure(f.State.ToString()),
            CsvCell.Figure(Measured(f)), f.Measurement.Numerator, f.Measurement.Denominator, CsvCell.Figure(Threshold(f)),
            CsvCell.Figure(Domain.Threshold.SymbolOf(f.Measurement.Operator)), CsvCell.Figure(f.Severity.ToString()), CsvCell.Figure(Outcome(f.Measurement.Outcome)),
            f.Measurement.Gap, CsvCell.Figure(f.Resolution?.ToString()), CsvCell.Figure(f.UnitClosedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>What was measured: the share for an area or a ratio, the raw value otherwise, empty when nothing was reported.</summary>
    public static string Measured(FindingView f) =>
        f.SubjectType == SubjectType.Unit && f.Measurement.Value is not null ? Number(f.Measurement.Value)
        : f.Measurement.Denominator is > 0 ? Shares.Format(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value, f.Measurement.Threshold)
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
        FindingOutcome.Met => "met",
        FindingOutcome.NotMeasured => "not-measured",
        _ => "short",
    };

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}

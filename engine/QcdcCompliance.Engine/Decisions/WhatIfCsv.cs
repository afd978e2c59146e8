using System.Globalization;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Decisions;

/// <summary>
/// The what-if as CSV, the same from the CLI and the API: <c>target,subject_type,subject_code,now,proposed</c>, then the
/// figures of each side.
/// </summary>
public static class WhatIfCsv
{
    public const string Header = "target,subject_type,subject_code,now,proposed,subject_name,"
                                 + "now_numerator,now_denominator,now_share,now_value,now_test,now_gap,"
                                 + "proposed_numerator,proposed_denominator,proposed_share,proposed_value,proposed_test,proposed_gap,"
                                 + "population,met_units,missing_units";

    public static string Write(WhatIfResult result)
    {
        var text = new System.Text.StringBuilder(Header).Append('\n');
        foreach (var r in result.Rows)
        {
            var (now, proposed) = (r.NowFigures, r.ProposedFigures);
            var counts = proposed ?? now;
            text.AppendJoin(',',
                Findings.FindingCsv.Cell(r.Target), r.SubjectType.ToString(), Findings.FindingCsv.Cell(r.SubjectCode), Standings.Text(r.Now), Standings.Text(r.Proposed),
                Findings.FindingCsv.Cell(r.SubjectName),
                Number(now?.Numerator), Number(now?.Denominator), now?.Share ?? "", Number(now?.Value), Findings.FindingCsv.Cell(now?.Test), Number(now?.Gap),
                Number(proposed?.Numerator), Number(proposed?.Denominator), proposed?.Share ?? "", Number(proposed?.Value), Findings.FindingCsv.Cell(proposed?.Test),
                Number(proposed?.Gap),
                Number(counts?.Population), Number(counts?.Met), Number(counts?.Missing));
            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}

using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;

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

    public static string Write(WhatIfResult result) => CsvWriter.Text(csv =>
    {
        csv.Row(Header.Split(','));
        foreach (var r in result.Rows)
        {
            var (now, proposed) = (r.NowFigures, r.ProposedFigures);
            var counts = proposed ?? now;
            csv.Row(r.Target, CsvCell.Figure(r.SubjectType.ToString()), r.SubjectCode, CsvCell.Figure(Standings.Text(r.Now)), CsvCell.Figure(Standings.Text(r.Proposed)),
                r.SubjectName,
                now?.Numerator, now?.Denominator, CsvCell.Figure(now?.Share), now?.Value, now?.Test, now?.Gap,
                proposed?.Numerator, proposed?.Denominator, CsvCell.Figure(proposed?.Share), proposed?.Value, proposed?.Test, proposed?.Gap,
                counts?.Population, counts?.Met, counts?.Missing);
        }
    });

}

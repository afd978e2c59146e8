using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// Which halves of a year a unit alert's year finding lacks. A year reads a half-year count as the sum of its halves and
/// a state as its second half's value, so a year figure "chưa báo cáo" is a half not reported; the year's template and
/// form have no column for it (its values are refused on a year). The alert names the half and links its form and
/// template, worked out when the run is stored (the values as the run read them).
/// </summary>
public static class MissingHalves
{
    /// <summary>
    /// For each (unit, target) of the groups' year findings that lacks half-year figures, the codes of the halves
    /// ("2024S2"), in order; empty for a period that is not a year.
    /// </summary>
    public static async Task<Dictionary<(int Unit, string Target), string[]>> ForAsync(QcdcDbContext db, RecordedRun run, UnitAlertGroups groups, CancellationToken ct)
    {
        var result = new Dictionary<(int, string), string[]>();
        if (run.Period.Type != PeriodType.Year)
            return result;
        var wanted = new List<(FindingDraft Draft, List<Indicator> Indicators)>();
        foreach (var d in groups.Recipients.SelectMany(g => g).Where(d => d.Measurement.Outcome == FindingOutcome.Missing))
        {
            // Only a unit that did not report a half-year indicator can lack a half: its evidence is read only then.
            if (run.Report(d.SubjectId) is { } report && !report.Missing.Any(HalfYear))
                continue;
            var halfYear = MissingCodes(d).Select(IndicatorCatalogue.Find).OfType<Indicator>().Where(i => i.PeriodType == PeriodType.HalfYear).ToList();
            if (halfYear.Count > 0)
                wanted.Add((d, halfYear));
        }

        if (wanted.Count == 0)
            return result;
        var (first, second) = Period.HalvesOf(run.Period.Year);
        var halves = (await PeriodStore.WithCodesAsync(db, ct, first, second)).ToDictionary(p => p.Id, p => p.Code);
        var stored = new HashSet<(int Unit, string Period, int Indicator)>();
        var periodIds = halves.Keys.ToList();
        // By plain SQL: a CLI evaluation compiles no LINQ query (see PlainSql), and a province's year may ask of tens of thousands of units.
        var periodList = string.Join(", ", periodIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var chunk in wanted.Select(w => w.Draft.SubjectId).Distinct().Chunk(PlainSql.MaxParameters))
        {
            var rows = await PlainSql.ListAsync(db,
                $"""SELECT "UnitId", "PeriodId", "IndicatorId" FROM "DataValues" WHERE "PeriodId" IN ({periodList}) AND "UnitId" IN ({PlainSql.Placeholders(chunk.Length)})""",
                r => (Unit: r.GetInt32(0), Period: r.GetInt32(1), Indicator: r.GetInt32(2)), ct, chunk.Cast<object>().ToArray());
            foreach (var v in rows)
                stored.Add((v.Unit, halves[v.Period], v.Indicator));
        }

        foreach (var (d, indicators) in wanted)
        {
            // A unit opened in the second half was never asked the first half's figures.
            var firstOwed = run.Report(d.SubjectId)?.SecondHalfOnly != true;
            var missing = new List<string>(2);
            if (firstOwed && indicators.Any(i => i.YearRollup == YearRollup.Sum && !stored.Contains((d.SubjectId, first, i.Id))))
                missing.Add(first);
            if (indicators.Any(i => !stored.Contains((d.SubjectId, second, i.Id))))
                missing.Add(second);
            if (missing.Count > 0)
                result[(d.SubjectId, d.TargetCode)] = [.. missing];
        }

        return result;
    }

    /// <summary>"Số liệu còn thiếu: 6 tháng cuối năm 2024 (nội dung báo cáo theo từng 6 tháng)."</summary>
    public static string Note(IReadOnlyList<string> halves) =>
        $"Số liệu còn thiếu: {string.Join(" và ", halves.Select(Vietnamese.Period))} (nội dung báo cáo theo từng 6 tháng).";

    private static bool HalfYear(string code) => IndicatorCatalogue.Find(code) is { PeriodType: PeriodType.HalfYear };

    private static List<string> MissingCodes(FindingDraft d)
    {
        using var document = JsonDocument.Parse(CompactText.Evidence.UnpackUtf8(d.PackedEvidence));
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("missing", out var missing)
                                                                       && missing.ValueKind == JsonValueKind.Array
            ? [.. missing.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)]
            : [];
    }
}

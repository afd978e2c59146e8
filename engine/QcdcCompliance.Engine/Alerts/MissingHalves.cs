using System.Text.Json;
using Microsoft.EntityFrameworkCore;
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
        foreach (var chunk in wanted.Select(w => w.Draft.SubjectId).Distinct().Chunk(1000))
        {
            var rows = await db.DataValues.AsNoTracking().Where(v => chunk.Contains(v.UnitId) && periodIds.Contains(v.PeriodId))
                .Select(v => new { v.UnitId, v.PeriodId, v.IndicatorId }).ToListAsync(ct);
            foreach (var v in rows)
                stored.Add((v.UnitId, halves[v.PeriodId], v.IndicatorId));
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

    private static List<string> MissingCodes(FindingDraft d)
    {
        using var document = JsonDocument.Parse(CompactText.Evidence.UnpackUtf8(d.PackedEvidence));
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("missing", out var missing)
                                                                       && missing.ValueKind == JsonValueKind.Array
            ? [.. missing.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)]
            : [];
    }
}

using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Alerts;

/// <summary>
/// An area's reporting in the period, as its committee's digest states it, with the words and the split of
/// GET /api/completeness: units expected (they owe something), complete (everything stored), of which late (the last
/// of it stored after the deadline), partial (some but not all of it stored) and missing (nothing stored); the
/// reporting rate is complete over expected. All but the late come from what the run holds (the REPORTED roll-ups and
/// the reports the evaluation saw), so a warm update stays cheap.
/// </summary>
public sealed record DigestCompleteness(int Expected, int Complete, int Late, int Partial, int Missing)
{
    /// <summary>
    /// For each committee area, from the run's REPORTED roll-ups (stored in the run's transaction) and, once the deadline
    /// has passed, the units that stored a value of the period after it and are complete.
    /// </summary>
    public static async Task<Dictionary<int, DigestCompleteness>> ForAsync(QcdcDbContext db, RecordedRun run, RunPlaces places, IReadOnlyCollection<int> areaIds,
        LateUnits lateUnitsOf, CancellationToken ct)
    {
        var ids = areaIds.ToList();
        var rollups = await db.AreaResults.AsNoTracking()
            .Where(a => a.PeriodId == run.Run.PeriodId && a.ScopeAreaId == run.Run.ScopeAreaId && a.TargetCode == ReportingTarget.Code
                        && a.SupersededByRunId == null && ids.Contains(a.AreaId))
            .Select(a => new { a.AreaId, a.PopulationUnits, a.MetUnits })
            .ToListAsync(ct);

        // Units that owe something still (an open REPORTED finding); those that stored part of it are partial, the rest stored nothing.
        var owing = run.OpenAfter.Where(f => f.SubjectType == SubjectType.Unit && f.TargetCode == ReportingTarget.Code).Select(f => f.SubjectId).ToHashSet();
        var partialUnits = owing.Select(run.Report).Where(r => r is not null && r.Owed > r.Missing.Count).Select(r => r!.Unit.Path[0].Id).ToList();

        // Complete units (no open REPORTED finding) that stored a value of the period after the deadline: their last one
        // was late. Counted over the scope's own units: the set of late units is the whole country's.
        var late = new Dictionary<int, int>();
        var dueBy = VietnamTime.EndOfDayUtc(run.Period.Deadline);
        if (run.Run.StartedAt > dueBy && rollups.Count > 0)
        {
            var lateUnits = await lateUnitsOf.ForAsync(db, run.Run.PeriodId, dueBy, ct);
            var subtrees = rollups.Select(r => (r.AreaId, Subtree: places.Tree.Subtree(r.AreaId))).ToList();
            foreach (var report in run.Reports)
            {
                var unit = report.Unit.Id;
                if (!lateUnits.Contains(unit) || owing.Contains(unit))
                    continue;
                var area = report.Unit.Path[0].Id;
                foreach (var (areaId, subtree) in subtrees)
                {
                    if (subtree.Contains(area))
                        late[areaId] = late.GetValueOrDefault(areaId) + 1;
                }
            }
        }

        var result = new Dictionary<int, DigestCompleteness>();
        foreach (var r in rollups)
        {
            var subtree = places.Tree.Subtree(r.AreaId);
            var notComplete = r.PopulationUnits - r.MetUnits;
            var partial = Math.Min(partialUnits.Count(subtree.Contains), notComplete);
            result[r.AreaId] = new DigestCompleteness(r.PopulationUnits, r.MetUnits, Math.Min(late.GetValueOrDefault(r.AreaId), r.MetUnits), partial, notComplete - partial);
        }

        return result;
    }

    /// <summary>
    /// "Tình hình báo cáo: 8/10 đơn vị báo cáo đầy đủ (tỷ lệ 80,0%), trong đó 1 đơn vị nộp muộn; 1 đơn vị báo cáo chưa đủ,
    /// 1 đơn vị chưa báo cáo."
    /// </summary>
    public string Sentence()
    {
        var rest = new List<string>(2);
        if (Partial > 0)
            rest.Add($"{Vietnamese.Number(Partial)} đơn vị báo cáo chưa đủ");
        if (Missing > 0)
            rest.Add($"{Vietnamese.Number(Missing)} đơn vị chưa báo cáo");
        return $"Tình hình báo cáo: {Vietnamese.Number(Complete)}/{Vietnamese.Number(Expected)} đơn vị báo cáo đầy đủ"
               + (Expected > 0 ? $" (tỷ lệ {Vietnamese.Percent(Complete, Expected)})" : "")
               + (Late > 0 ? $", trong đó {Vietnamese.Number(Late)} đơn vị nộp muộn" : "")
               + (rest.Count > 0 ? "; " + string.Join(", ", rest) : "") + ".";
    }
}

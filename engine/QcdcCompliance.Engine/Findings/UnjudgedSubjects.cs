using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// When a resolved finding resolved because its target no longer judges its subject: the target's set was re-dated so
/// that the period left it, re-scoped so that the subject's area left it (a province's set narrowed to one district), or
/// the target was dropped. A run rolls every target it evaluates up over every area of its population, from the unit's
/// area up to the area the target binds (<see cref="AreaResult"/>); where the (period, scope) holds no roll-up of the
/// target over the subject (an area) or over any area of its path (a unit, where it sat on the period's last day), the
/// target no longer judges it, and its finding disappeared with nothing put right: "không còn được đánh giá", never
/// "Đã khắc phục". Every reader tells it by this one rule, as <see cref="ClosedUnits"/> tells a unit that closed: the
/// explanation, the API, the CSV, the unit and workspace pages, and the committees' digest.
/// </summary>
public static class UnjudgedSubjects
{
    /// <summary>The roll-ups (target, area) of the given targets that no later run superseded in the (period, scope).</summary>
    public static async Task<HashSet<(string Target, int AreaId)>> RollUpsAsync(QcdcDbContext db, int periodId, int scopeAreaId,
        IReadOnlyCollection<string> targets, CancellationToken ct)
    {
        var rows = await db.AreaResults.AsNoTracking().Unsuperseded(periodId, scopeAreaId).Where(a => targets.Contains(a.TargetCode))
            .Select(a => new { a.TargetCode, a.AreaId }).ToListAsync(ct);
        return rows.Select(r => (r.TargetCode, r.AreaId)).ToHashSet();
    }

    /// <summary>
    /// Whether the target no longer judges the subject: an area with no roll-up of it over itself, a unit with none over
    /// any area of <paramref name="path"/> (where it sat, nearest first; empty when not known, then it is judged).
    /// </summary>
    public static bool NoLongerJudged(IReadOnlySet<(string Target, int AreaId)> rollUps, string target, SubjectType type, int subjectId, IEnumerable<int> path) =>
        type == SubjectType.Area
            ? !rollUps.Contains((target, subjectId))
            : path.Any() && !path.Any(areaId => rollUps.Contains((target, areaId)));
}

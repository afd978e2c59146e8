using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Submissions;

/// <summary>Where a unit's report for a period stands, by what it owes (its reporting duties).</summary>
public enum SubmissionState
{
    /// <summary>Nothing it owes is stored.</summary>
    Missing,

    /// <summary>Some of what it owes is stored, not all.</summary>
    Partial,

    /// <summary>Everything it owes is stored, the last of it after the deadline.</summary>
    Late,

    /// <summary>Everything it owes was stored by the deadline.</summary>
    OnTime,
}

/// <summary>One unit expected to report in a period: what it owes, what it has reported and when it last did.</summary>
public sealed record UnitSubmission(
    string UnitCode, string UnitName, UnitKind Kind, string AreaCode, string AreaName, int Owed, int Reported, IReadOnlyList<string> Missing,
    DateTime? LastStoredAt, SubmissionState State);

/// <summary>An area's units expected in a period, by where their reports stand; the reporting rate is complete over expected.</summary>
public sealed record AreaSubmissions(string AreaCode, string AreaName, AreaLevel Level, int Expected, int OnTime, int Late, int Partial, int Missing)
{
    public int Complete => OnTime + Late;

    public static AreaSubmissions Of(Area area, IEnumerable<UnitSubmission> units)
    {
        var counts = units.GroupBy(u => u.State).ToDictionary(g => g.Key, g => g.Count());
        return new AreaSubmissions(area.Code, area.Name, area.Level, counts.Values.Sum(), counts.GetValueOrDefault(SubmissionState.OnTime),
            counts.GetValueOrDefault(SubmissionState.Late), counts.GetValueOrDefault(SubmissionState.Partial), counts.GetValueOrDefault(SubmissionState.Missing));
    }
}

/// <summary>The reporting rate of an area in an evaluated period: units that reported all they owed, of those expected.</summary>
public sealed record RateAt(string Period, int Expected, int Complete);

/// <summary>Completeness and timeliness of an area in a period, its child areas, its units, and the rate over past periods.</summary>
public sealed record CompletenessView(
    Period Period, Area Area, DateOnly Deadline, int DaysLeft, AreaSubmissions Totals, IReadOnlyList<AreaSubmissions> Children,
    IReadOnlyList<UnitSubmission> Units, IReadOnlyList<RateAt> Trend);

/// <summary>
/// Who has reported, who is late and who has not started, per area and period (DHIS2's reporting rates), from the same
/// duties the evaluation holds units to: a unit is expected when it owes something; complete when everything it owes
/// is stored; on time when the last of it was stored by the end of the deadline (Asia/Ho_Chi_Minh). The trend reads the
/// evaluated periods' REPORTED roll-ups, which count the same units.
/// </summary>
public sealed class CompletenessQueries(IDbContextFactory<QcdcDbContext> contexts, PeriodCalendar calendar, FactLoader loader, TimeProvider clock)
{
    public async Task<CompletenessView> ForAreaAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (period, area, facts) = await ProvinceFacts.LoadAsync(db, calendar, loader, periodCode, areaCode, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var reports = facts.Reports.Where(r => r.Owed > 0 && r.Unit.IsIn(area.Id)).ToList();
        var stored = await LastStoredAsync(db, period, reports.Select(r => r.Unit.Id).ToList(), ct);
        var dueBy = VietnamTime.EndOfDayUtc(period.Deadline);
        var submissions = reports.Select(r =>
            {
                var last = stored.GetValueOrDefault(r.Unit.Id);
                var reported = r.Owed - r.Missing.Count;
                var state = reported == 0 ? SubmissionState.Missing
                    : r.Missing.Count > 0 ? SubmissionState.Partial
                    : last is { } at && at > dueBy ? SubmissionState.Late
                    : SubmissionState.OnTime;
                return (Report: r, Unit: new UnitSubmission(r.Unit.Code, r.Unit.Name, r.Unit.Kind, r.Unit.Path[0].Code, r.Unit.Path[0].Name, r.Owed, reported,
                    r.Missing, last, state));
            })
            .ToList();
        var units = submissions.Select(s => s.Unit).OrderBy(u => u.State).ThenBy(u => u.UnitCode, StringComparer.Ordinal).ToList();
        var children = tree.ChildrenOn(area.Id, period.End).OrderBy(c => c.Code, StringComparer.Ordinal)
            .Select(child => AreaSubmissions.Of(child, submissions.Where(s => s.Report.Unit.IsIn(child.Id)).Select(s => s.Unit)))
            .Where(c => c.Expected > 0)
            .ToList();
        var today = VietnamTime.Today(clock);
        return new CompletenessView(period, area, period.Deadline, period.Deadline.DayNumber - today.DayNumber, AreaSubmissions.Of(area, units), children, units,
            await TrendAsync(db, period.Type, area.Id, ct));
    }

    /// <summary>When each unit last stored a value of the period (a year: of the year or its halves).</summary>
    private static async Task<Dictionary<int, DateTime>> LastStoredAsync(QcdcDbContext db, Period period, List<int> unitIds, CancellationToken ct)
    {
        var periods = new List<string> { period.Code };
        if (period.Type == PeriodType.Year)
        {
            var (first, second) = Period.HalvesOf(period.Year);
            periods.AddRange([first, second]);
        }

        var periodIds = await db.Periods.Where(p => periods.Contains(p.Code)).Select(p => p.Id).ToListAsync(ct);
        var result = new Dictionary<int, DateTime>();
        foreach (var chunk in unitIds.Chunk(2_000))
        {
            var rows = await db.DataValues.AsNoTracking()
                .Where(v => chunk.Contains(v.UnitId) && periodIds.Contains(v.PeriodId))
                .GroupBy(v => v.UnitId)
                .Select(g => new { g.Key, Last = g.Max(v => v.StoredAt) })
                .ToListAsync(ct);
            foreach (var row in rows)
                result[row.Key] = row.Last;
        }

        return result;
    }

    /// <summary>The reporting rate of the area in every evaluated period of the type, oldest first.</summary>
    private static async Task<List<RateAt>> TrendAsync(QcdcDbContext db, PeriodType type, int areaId, CancellationToken ct)
    {
        var rows = await (from a in db.AreaResults.AsNoTracking()
                          join p in db.Periods.AsNoTracking() on a.PeriodId equals p.Id
                          where a.AreaId == areaId && a.TargetCode == ReportingTarget.Code && a.SupersededByRunId == null && p.Type == type
                          select new { p.Code, p.Start, a.PopulationUnits, a.MetUnits }).ToListAsync(ct);
        return rows.OrderBy(r => r.Start).Select(r => new RateAt(r.Code, r.PopulationUnits, r.MetUnits)).ToList();
    }
}

using System.Globalization;
using System.Text;
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

    /// <summary>Everything it owes is stored, some of it first reported after the deadline (<see cref="LateReports"/>).</summary>
    Late,

    /// <summary>Everything it owes was first reported by the deadline, whatever was corrected after it.</summary>
    OnTime,
}

/// <summary>
/// One unit expected to report in a period: what it owes, what it has reported and when it last stored a value (a
/// correction included: a unit on time may have stored its last value after the deadline).
/// </summary>
public sealed record UnitSubmission(
    string UnitCode, string UnitName, UnitKind Kind, string AreaCode, string AreaName, int Owed, int Reported, IReadOnlyList<string> Missing,
    DateTime? LastStoredAt, SubmissionState State);

/// <summary>An area's units expected in a period, by where their reports stand; the reporting rate is complete over expected.</summary>
public sealed record AreaSubmissions(string AreaCode, string AreaName, AreaLevel Level, int Expected, int OnTime, int Late, int Partial, int Missing)
{
    public int Complete => OnTime + Late;

    /// <summary>
    /// The row of the units attached directly to the area (<see cref="CompletenessView.OwnUnits"/>), under the area's own
    /// code, as the compliance figures flag theirs: a list of child rows tells it from the child areas by this.
    /// </summary>
    public bool OwnUnits { get; init; }

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
    IReadOnlyList<UnitSubmission> Units, IReadOnlyList<RateAt> Trend)
{
    /// <summary>
    /// The units expected that are attached directly to the area, in none of its child areas (a district's own agencies),
    /// under the area's own code: null when it has no child areas or no such unit. With the children they add up to <see cref="Totals"/>.
    /// </summary>
    public AreaSubmissions? OwnUnits { get; init; }

    /// <summary>The rows of a per-child table: the child areas, then the area's own units when it has any; they add up to <see cref="Totals"/>.</summary>
    public IReadOnlyList<AreaSubmissions> Parts => OwnUnits is { } own ? [.. Children, own] : Children;
}

/// <summary>
/// Who has reported, who is late and who has not started, per area and period (DHIS2's reporting rates), from the same
/// duties the evaluation holds units to: a unit is expected when it owes something; complete when everything it owes
/// is stored; on time when each of its values was first reported by the end of the deadline (Asia/Ho_Chi_Minh), late
/// otherwise (<see cref="LateReports"/>: a correction after the deadline does not make it late). The trend reads the
/// evaluated periods' REPORTED roll-ups, which count the same units.
/// </summary>
public sealed class CompletenessQueries(IDbContextFactory<QcdcDbContext> contexts, PeriodCalendar calendar, FactLoader loader, TimeProvider clock)
{
    public async Task<CompletenessView> ForAreaAsync(string periodCode, string areaCode, CancellationToken ct = default)
    {
        // A period not begun is refused as the template and the evaluation refuse it (a mistyped year); one not stored is
        // read as it is, empty, and not stored: a read creates no period.
        if (PeriodCode.TryParse(periodCode, out var code) && calendar.Create(code).NotBegunRefusal(clock, "there is nothing to show for it") is { } notBegun)
            throw notBegun;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (period, area, facts) = await ProvinceFacts.LoadAsync(db, calendar, loader, periodCode, areaCode, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var reports = facts.Reports.Where(r => r.Owed > 0 && r.Unit.IsIn(area.Id)).ToList();
        var periodIds = await PeriodIdsAsync(db, period, ct);
        var stored = await LastStoredAsync(db, periodIds, reports.Select(r => r.Unit.Id).ToList(), ct);
        var dueBy = VietnamTime.EndOfDayUtc(period.Deadline);
        // Only a complete unit that stored something after the deadline may be late: whether it first reported it then is read for those alone.
        var storedAfter = reports.Where(r => r.Missing.Count == 0 && stored.TryGetValue(r.Unit.Id, out var at) && at > dueBy).Select(r => r.Unit.Id).ToList();
        var late = storedAfter.Count == 0 ? []
            : (await LateReports.UnitsOf(db, db.Units.Where(u => storedAfter.Contains(u.Id)), db.DataValues.Where(v => periodIds.Contains(v.PeriodId)), dueBy)
                .ToListAsync(ct)).ToHashSet();
        var submissions = reports.Select(r =>
            {
                DateTime? last = stored.TryGetValue(r.Unit.Id, out var at) ? at : null;
                var reported = r.Owed - r.Missing.Count;
                var state = StateOf(r.Owed, reported, late.Contains(r.Unit.Id));
                return (Report: r, Unit: new UnitSubmission(r.Unit.Code, r.Unit.Name, r.Unit.Kind, r.Unit.Path[0].Code, r.Unit.Path[0].Name, r.Owed, reported,
                    r.Missing, last, state));
            })
            .ToList();
        var units = submissions.Select(s => s.Unit).OrderBy(u => u.State).ThenBy(u => u.UnitCode, StringComparer.Ordinal).ToList();
        // Each unit is put under the child areas on its path: one walk of a path a unit, not one a unit and child.
        var childAreas = tree.ChildrenOn(area.Id, period.End).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        var underChild = childAreas.ToDictionary(c => c.Id, _ => new List<UnitSubmission>());
        var own = new List<UnitSubmission>();
        foreach (var (report, unit) in submissions)
        {
            var placed = false;
            foreach (var on in report.Unit.Path)
            {
                if (underChild.TryGetValue(on.Id, out var under))
                {
                    under.Add(unit);
                    placed = true;
                }
            }

            if (!placed)
                own.Add(unit);
        }

        var children = childAreas.Select(child => AreaSubmissions.Of(child, underChild[child.Id])).Where(c => c.Expected > 0).ToList();
        var today = VietnamTime.Today(clock);
        return new CompletenessView(period, area, period.Deadline, period.Deadline.DayNumber - today.DayNumber, AreaSubmissions.Of(area, units), children, units,
            await TrendAsync(db, period.Type, area.Id, ct))
        {
            OwnUnits = childAreas.Count > 0 && own.Count > 0 ? AreaSubmissions.Of(area, own) with { OwnUnits = true } : null,
        };
    }

    /// <summary>
    /// Where a unit's report stands: by what it owes and has reported, and, complete, by whether it first reported a value
    /// after the deadline (<see cref="LateReports"/>), never by when it last stored one. The rule of every view of it.
    /// </summary>
    public static SubmissionState StateOf(int owed, int reported, bool firstReportedLate) =>
        reported == 0 ? SubmissionState.Missing
        : reported < owed ? SubmissionState.Partial
        : firstReportedLate ? SubmissionState.Late
        : SubmissionState.OnTime;

    /// <summary>
    /// One unit's reading of a period as <see cref="ForAreaAsync"/> reads each of an area's (a unit's own page): when it last
    /// stored a value of the period (a year: of the year or its halves), and whether it first reported one after the
    /// deadline. A correction stored after the deadline, of a value first reported by it, makes it no later.
    /// </summary>
    public static async Task<(DateTime? LastStoredAt, bool FirstReportedLate)> OfUnitAsync(QcdcDbContext db, Period period, int unitId, CancellationToken ct)
    {
        var periodIds = await PeriodIdsAsync(db, period, ct);
        var values = db.DataValues.Where(v => periodIds.Contains(v.PeriodId));
        var last = await values.Where(v => v.UnitId == unitId).Select(v => (DateTime?)v.StoredAt).MaxAsync(ct);
        var dueBy = VietnamTime.EndOfDayUtc(period.Deadline);
        var late = last > dueBy && await LateReports.UnitsOf(db, db.Units.Where(u => u.Id == unitId), values, dueBy).AnyAsync(ct);
        return (last, late);
    }

    /// <summary>The stored periods whose values a period's report is made of: itself, and a year's halves.</summary>
    private static async Task<List<int>> PeriodIdsAsync(QcdcDbContext db, Period period, CancellationToken ct)
    {
        var periods = new List<string> { period.Code };
        if (period.Type == PeriodType.Year)
        {
            var (first, second) = Period.HalvesOf(period.Year);
            periods.AddRange([first, second]);
        }

        return await db.Periods.Where(p => periods.Contains(p.Code)).Select(p => p.Id).ToListAsync(ct);
    }

    /// <summary>
    /// When each unit last stored a value of the periods (a year: of the year or its halves), by plain SQL: on a province's
    /// scale EF Core's query and its reading of each row's time cost more than SQLite's scan (0.43 s of the overview's
    /// 1.4 s for 190,921 units, 06/12).
    /// </summary>
    private static async Task<Dictionary<int, DateTime>> LastStoredAsync(QcdcDbContext db, List<int> periodIds, List<int> unitIds, CancellationToken ct)
    {
        var result = new Dictionary<int, DateTime>(unitIds.Count);
        if (unitIds.Count == 0 || periodIds.Count == 0)
            return result;

        var n = Names.Of<DataValue>(db);
        var unit = n[nameof(DataValue.UnitId)];
        string Sql(string units) =>
            $"SELECT {unit}, MAX({n[nameof(DataValue.StoredAt)]}) FROM {n.Table} WHERE {n[nameof(DataValue.PeriodId)]} IN ({Names.List(periodIds)}) AND {units} GROUP BY {unit}";

        // The values' key leads with the period, then the unit: a span of unit ids is one range of it. A province's units,
        // or a district's imported together, lie close in ids; their span is read once and the ids outside the area passed
        // over (the 190,921 reporting units of a 195,166-unit province: 0.2 s where 96 statements of 2,000 ids each took
        // 1.7 s). Units scattered over the ids (a commune's, when the province's file lists them by kind) are looked up by
        // their ids, inlined: they are numbers read from the database.
        var (lowest, highest) = (unitIds.Min(), unitIds.Max());
        if ((long)highest - lowest + 1 <= SpanReadPerUnit * unitIds.Count)
        {
            var wanted = unitIds.ToHashSet();
            await ReadAsync(db, Sql($"{unit} BETWEEN {lowest.ToString(CultureInfo.InvariantCulture)} AND {highest.ToString(CultureInfo.InvariantCulture)}"),
                (id, at) =>
                {
                    if (wanted.Contains(id))
                        result[id] = at;
                }, ct);
            return result;
        }

        foreach (var chunk in unitIds.Chunk(PlainSql.MaxParameters))
            await ReadAsync(db, Sql($"{unit} IN ({Names.List(chunk)})"), (id, at) => result[id] = at, ct);
        return result;
    }

    /// <summary>
    /// How many unit ids a span may hold for each unit asked for and still be read whole: a unit id looked up in a list
    /// costs about what reading eight units' values in key order does (SQLite, 06/12).
    /// </summary>
    internal const int SpanReadPerUnit = 4;

    /// <summary>Each (unit, time) row of the statement; on SQLite through its C API, each distinct time's text parsed once.</summary>
    private static async Task ReadAsync(QcdcDbContext db, string sql, Action<int, DateTime> add, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            await FactLoader.OnSqliteAsync(db, sqlite, handle =>
            {
                BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, sql, out var prepared));
                using (prepared)
                using (var s = new SqliteNative.Statement(prepared))
                {
                    // An import stamps its values with one time: most rows repeat the row before's.
                    var (text, at) = (Array.Empty<byte>(), default(DateTime));
                    int step;
                    while ((step = s.Step()) == SQLitePCL.raw.SQLITE_ROW)
                    {
                        var stored = s.ColumnBlob(1);
                        if (!stored.SequenceEqual(text))
                        {
                            text = stored.ToArray();
                            at = DateTime.SpecifyKind(DateTime.Parse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture), DateTimeKind.Utc);
                        }

                        add(s.ColumnInt(0), at);
                    }

                    if (step != SQLitePCL.raw.SQLITE_DONE)
                        BulkInserter.Check(handle, step);
                }
            }, ct);
            return;
        }

        await using var reader = await PlainSql.ReaderAsync(db, sql, ct);
        var r = reader.DbDataReader;
        while (await r.ReadAsync(ct))
            add(r.GetInt32(0), r.UtcDateTime(1));
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

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// <c>unit_code,period,indicator,value,comment</c>. Every row is checked before anything is written; every value stored,
/// new or changed, is recorded in <see cref="DataValueAudit"/> (who, when, old value or none, new value, which file or form),
/// in the same transaction.
/// </summary>
public static class ValueImporter
{
    public static readonly IReadOnlyList<Column> Schema =
        [new("unit_code"), new("period"), new("indicator"), new("value"), new("comment", Required: false)];

    private const int UnitCode = 0, PeriodColumn = 1, IndicatorColumn = 2, ValueColumn = 3, CommentColumn = 4;

    internal readonly record struct UnitRef(int Id, string Code, UnitKind Kind, bool HasTradeUnion, int AreaId, DateOnly? ActiveFrom, DateOnly? ActiveTo);

    /// <param name="Streamed">Sent to the values' table while the file was checked (<see cref="DataValueStore.NewValueStream"/>).</param>
    private readonly record struct Row(int Number, int UnitIndex, int PeriodIndex, int IndicatorId, long Value, string? Comment, bool Streamed);

    /// <param name="ahead">The stored units, being read on a connection of their own since the file came in (<see cref="ReadUnitsAhead"/>), or null.</param>
    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, Table table, ImportContext context, PeriodCalendar calendar, CancellationToken ct = default,
        UnitsAhead? ahead = null)
    {
        var problems = table.Problems;
        using var prepare = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.prepare");
        var units = new List<UnitRef>();
        var unitIndex = new Dictionary<string, int>();
        var allUnitsRead = new[] { false };
        var tree = await db.LoadAreaTreeAsync(ct);
        var allowed = await ImportScope.ForAsync(db, context, tree, ct);
        var storedPeriods = await PeriodStore.ByCodeAsync(db, ct);
        var periods = new List<Period>();
        // The units' earlier versions (few): a unit is checked as it was on the period's last day, where it sat and what it was.
        var history = await UnitHistoryRows.FromAsync(db, DateOnly.MinValue, ct);
        UnitRef On(int unit, int period) => period < 0 || history.IsEmpty || history.On(units[unit].Id, periods[period].End) is not { } then
            ? units[unit]
            : units[unit] with { AreaId = then.AreaId, Kind = then.Kind, HasTradeUnion = then.HasTradeUnion };

        // By period index: why no value of it is accepted (it has not begun), or null.
        var notBegun = new List<string?>();
        var periodIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var areaExists = new Dictionary<(int Area, int Period), bool>();
        // A row's key packed in a long (unit index, period index, indicator id): the same dictionary keyed by a tuple cost
        // twice as much a row, at 200,000 rows the largest share of the check after the reading itself.
        var seen = new Dictionary<long, int>();
        var rows = new List<Row>();
        var stamp = new ValueStamp(context.StoredBy, context.Now, table.File);
        await using var pending = new PendingWrite(db);
        prepare?.Dispose();

        // Rows stream through in batches: each batch's units are read from the database once, never the whole file held.
        using var check = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.check");
        foreach (var batch in table.Rows.Chunk(5000))
        {
            var batchRows = await WithUnitsAsync(db, batch, units, unitIndex, allUnitsRead, ahead, ct);
            // Once the units are known whole (a large file), the statements the check needs are done, and on PostgreSQL its new
            // values can go to the server while the rest is checked.
            if (allUnitsRead[0])
                await pending.StreamAsync(stamp, ct);
            foreach (var tableRow in batchRows)
            {
                var r = new RowReader(table, tableRow, problems);
                // A totals row ("Tổng cộng") is refused once as a row to delete, not as a code to retype; a unit so coded is a unit.
                if (TotalsLabel.Is(tableRow.Cells[UnitCode]) && !(Text.Code(tableRow.Cells[UnitCode]) is { } label && unitIndex.ContainsKey(label)))
                {
                    r.Problem(UnitCode, TotalsLabel.Refusal(Text.Clean(tableRow.Cells[UnitCode])!));
                    continue;
                }

                var unitCode = r.Code(UnitCode);
                var periodText = Text.Clean(tableRow.Cells[PeriodColumn]);
                var indicatorCode = r.Code(IndicatorColumn);
                var comment = r.Text(CommentColumn, 1000);
                var indicator = indicatorCode is null ? null : IndicatorCatalogue.Find(indicatorCode);
                // Every problem of the row names its unit and indicator, as a template's cell does, so that a page names them in words.
                r = r with { Unit = unitCode, Indicator = indicator?.Code };

                var period = -1;
                if (periodText is null)
                    r.Problem(PeriodColumn, "period is empty; write a period code such as 2020S1, 2020S2 or 2020");
                else if (!periodIndex.TryGetValue(periodText, out period))
                {
                    if (PeriodCode.TryParse(periodText, out var code))
                    {
                        var p = storedPeriods.GetValueOrDefault(code.Code) ?? calendar.Create(code);
                        period = periods.Count;
                        periods.Add(p);
                        notBegun.Add(p.NotBegun(context.Clock, "no value of it is accepted"));
                        periodIndex[periodText] = period;
                        periodIndex[code.Code] = period;
                    }
                    else
                    {
                        r.Problem(PeriodColumn, $"'{periodText}' is not a period; {PeriodCode.Hint}");
                        period = -1;
                    }
                }

                if (period >= 0 && notBegun[period] is { } reason)
                {
                    r.Problem(PeriodColumn, reason);
                    period = -1;
                }

                // A unit outside the principal's area (on the period's last day, where the unit sits for the period) answers
                // exactly as an unknown one, and before anything else is said of it (its kind, its area).
                var unit = -1;
                if (unitCode is not null && (!unitIndex.TryGetValue(unitCode, out unit)
                                             || (allowed is not null && !(period >= 0 ? allowed.ContainsOn(On(unit, period).AreaId, periods[period].End) : allowed.ContainsOnAnyDay(units[unit].AreaId)))))
                {
                    r.Problem(UnitCode, allowed is null
                        ? $"unknown unit {unitCode}; import it with 'qcdc import units' first"
                        : $"unknown unit {unitCode}, or outside your area; you may import values of your own area's units only (a new unit is imported with 'qcdc import units' first)");
                    unit = -1;
                }

                if (indicatorCode is not null && indicator is null)
                    r.Problem(IndicatorColumn, $"unknown indicator {indicatorCode}; see the catalogue (qcdc indicators)");

                if (indicator is not null && period >= 0 && periods[period].Type != indicator.PeriodType)
                {
                    r.Problem(PeriodColumn, $"{indicator.Code} is reported per {Describe(indicator.PeriodType)}, not per {Describe(periods[period].Type)}; "
                        + $"use a period such as {Example(indicator.PeriodType, periods[period].Year)}");
                    indicator = null;
                }

                if (indicator is not null && unit >= 0 && On(unit, period) is var then && !indicator.Population.Includes(then.Kind, then.HasTradeUnion))
                {
                    r.Problem(IndicatorColumn, $"{indicator.Code} does not apply to unit {then.Code} ({then.Kind}"
                        + $"{(then.HasTradeUnion ? ", with a trade union" : ", no trade union")}); it applies to {indicator.AppliesTo}");
                    indicator = null;
                }

                if (unit >= 0 && period >= 0)
                {
                    var areaId = On(unit, period).AreaId;
                    if (!areaExists.TryGetValue((areaId, period), out var exists))
                    {
                        var p = periods[period];
                        exists = tree[areaId].Overlaps(p.Start, p.End) || tree.Current(areaId, p.End) is not null;
                        areaExists[(areaId, period)] = exists;
                    }

                    if (!exists)
                    {
                        r.Problem(UnitCode, $"the area {tree[areaId].Code} of unit {units[unit].Code} did not exist in {periods[period].Code} and has no successor; fix the unit's area or the area's validity");
                        unit = -1;
                    }
                    // Active on the period's last day, as the template and the evaluation count a unit: any other value counts nowhere.
                    else if (!Dates.Contains(units[unit].ActiveFrom, units[unit].ActiveTo, periods[period].End))
                    {
                        r.Problem(UnitCode, $"unit {units[unit].Code} is not active in {periods[period].Code} ({Activity(units[unit])}); a value counts only for a period on whose "
                            + "last day its unit is active: remove the row, or correct the unit's active_from/active_to with 'qcdc import units'");
                        unit = -1;
                    }
                }

                long? value = indicator is null ? null : ParseValue(r, indicator);
                if (unit < 0 || period < 0 || indicator is null || value is null)
                    continue;
                if (!seen.TryAdd(RowKey(unit, period, indicator.Id), r.Number))
                {
                    r.Problem(UnitCode, $"duplicate row: {units[unit].Code} {indicator.Code} {periods[period].Code} is already on row {seen[RowKey(unit, period, indicator.Id)]}; keep one");
                    continue;
                }

                var streamed = !problems.Any && await pending.TryStreamAsync(periods, period, units[unit].Id, indicator.Id, value.Value, comment, ct);
                rows.Add(new Row(r.Number, unit, period, indicator.Id, value.Value, comment, streamed));
            }
        }

        check?.SetTag("qcdc.import.streamed", pending.Streamed);
        check?.Dispose();
        // The cross-checks run over the rows that read well even when others did not: a refused file lists every
        // problem at once, not the pairs and locks only after its cells were fixed.
        await pending.PauseAsync(ct);
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.informed"))
            await RefuseMoreInformedThanPeopleAsync(db, table, units, periods, rows, ct);
        // The sign-offs are read in the write's transaction, the periods held against a sign-off until it commits
        // (SignOffTurns): one that commits first is read here and refuses the file, one that comes later waits for it.
        var transaction = await pending.BeginAsync(ct);
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.signoffs"))
        {
            await SignOffTurns.ForValuesAsync(db, periods, ct);
            await RefuseSignedOffAsync(db, tree, table, units, periods, rows, ct);
        }

        using var write = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.write");
        await PeriodStore.InsertAsync(db, periods.Where(p => p.Id == 0).ToList(), ct);

        var writes = new List<ValueWrite>(rows.Count);
        // (period index, unit index) packed in a long, as the rows' keys above.
        var touched = new HashSet<long>(rows.Count);
        foreach (var group in rows.GroupBy(r => r.PeriodIndex))
        {
            var period = periods[group.Key];
            Dictionary<(int Unit, int Indicator), (long Value, string? Comment)> existing;
            using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.existing"))
            {
                // A period that held no value when the import began holds only this file's new ones (those streamed are
                // in the table already, and must not be read back as stored before).
                existing = pending.HeldNoValues(group.Key) ? [] : await LoadExistingAsync(db, period.Id, group.Select(r => units[r.UnitIndex].Id).Distinct().ToList(), ct);
            }

            foreach (var row in group)
            {
                var unit = units[row.UnitIndex];
                // Every value stored is audited, the first one too (old: none): who, when, from which file or form.
                if (!existing.TryGetValue((unit.Id, row.IndicatorId), out var old))
                    writes.Add(new ValueWrite(unit.Id, period.Id, row.IndicatorId, row.Value, row.Comment, IsNew: true, null, null) { Streamed = row.Streamed });
                else if (old.Value != row.Value || old.Comment != row.Comment)
                    writes.Add(new ValueWrite(unit.Id, period.Id, row.IndicatorId, row.Value, row.Comment, IsNew: false, old.Value, old.Comment));
                else
                    continue;

                touched.Add(((long)group.Key << 32) | (uint)row.UnitIndex);
            }
        }

        await DataValueStore.WriteAsync(db, writes, stamp, ct);
        var inserted = writes.Count(w => w.IsNew);
        var updated = writes.Count - inserted;
        using (Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.commit"))
            await transaction.CommitAsync(ct);
        write?.Dispose();
        await DataValueStore.AnalyzeAfterLoadAsync(db, writes.Count, ct);

        using var summary = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.summary");
        var provinceOf = new Dictionary<(int Period, int Area), string?>();
        var changed = new List<(string Period, string Scope, int UnitId)>(touched.Count);
        foreach (var key in touched)
        {
            var (period, unit) = ((int)(key >> 32), On((int)key, (int)(key >> 32)));
            if (!provinceOf.TryGetValue((period, unit.AreaId), out var province))
            {
                provinceOf[(period, unit.AreaId)] = province = TouchedScopes.ProvinceOn(tree, unit.AreaId, periods[period].End)?.Code;
            }

            if (province is not null)
                changed.Add((periods[period].Code, province, unit.Id));
        }

        // By period, scope, then unit (the three together are unique).
        changed.SortUnlessSorted(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Period, b.Period);
            if (order == 0)
                order = string.CompareOrdinal(a.Scope, b.Scope);
            return order != 0 ? order : a.UnitId.CompareTo(b.UnitId);
        });
        var scopes = changed.Select(u => (u.Period, u.Scope)).Distinct().ToList();
        if (writes.Count < rows.Count)
            scopes.AddRange(await UnevaluatedScopesAsync(db, tree, periods, On, rows, scopes, ct));
        scopes.AddRange(await YearsReadingAsync(db, tree, history, units, periods, storedPeriods, calendar, rows, touched, scopes, ct));
        return new ImportSummary(ImportKind.Values, table.File, rows.Count, inserted, updated, rows.Count - inserted - updated)
        {
            TouchedScopes = TouchedScopes.Ordered(scopes),
            TouchedUnits = changed,
            KeptByBlankCells = await KeptByBlankCellsAsync(db, table.Blanks, storedPeriods, allowed, ct),
        };
    }

    /// <summary>
    /// How many stored values a filled template's empty cells kept: those stored (before this file; it names none of them)
    /// for a row's unit, period and an indicator its cell leaves empty. A period not stored before held none; a unit outside
    /// the principal's area (a row left empty is not refused) is not counted, as its values are not the principal's to know.
    /// </summary>
    private static async Task<int> KeptByBlankCellsAsync(QcdcDbContext db, IReadOnlyList<BlankCells> blanks, IReadOnlyDictionary<string, Period> storedPeriods,
        ImportScope? allowed, CancellationToken ct)
    {
        var kept = 0;
        foreach (var byPeriod in blanks.GroupBy(b => PeriodCode.TryParse(b.Period, out var code) ? storedPeriods.GetValueOrDefault(code.Code) : null))
        {
            if (byPeriod.Key is not { } period)
                continue;
            var codes = byPeriod.Select(b => b.Unit).Distinct(StringComparer.Ordinal).ToList();
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var chunk in codes.Chunk(PlainSql.MaxParameters))
            {
                foreach (var u in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Code)).Select(u => new { u.Code, u.Id, u.AreaId }).ToListAsync(ct))
                {
                    if (allowed is null || allowed.ContainsOn(u.AreaId, period.End))
                        ids[u.Code] = u.Id;
                }
            }

            var stored = await LoadExistingAsync(db, period.Id, ids.Values.ToList(), ct);
            kept += byPeriod.Where(b => ids.ContainsKey(b.Unit))
                .Sum(b => b.Indicators.Count(i => IndicatorCatalogue.Find(i) is { } indicator && stored.ContainsKey((ids[b.Unit], indicator.Id))));
        }

        return kept;
    }

    /// <summary>
    /// The years whose readings a half-year row of this file is part of: a year reads a half-year count as the sum of its
    /// halves and a state or a yes/no as its S2 value, so a changed value it reads changes its year's figures (a 2020S2 disclosure
    /// corrected left the year 2020 short until someone evaluated it by hand). Each year is in the province where it
    /// places the unit: where the unit sits on the year's last day, or, for a unit closed during the year, where it sat on
    /// the half's last day, through the lineage (the year sums the flows of the halves it was in). The years of the rows
    /// this file did not change are added as <see cref="UnevaluatedScopesAsync"/> adds their halves: when a value of the
    /// year or its halves changed after the year's latest run began, or the year was never evaluated though they hold values.
    /// </summary>
    private static async Task<List<(string Period, string Scope)>> YearsReadingAsync(QcdcDbContext db, AreaTree tree, UnitHistory history, List<UnitRef> units,
        List<Period> periods, Dictionary<string, Period> storedPeriods, PeriodCalendar calendar, List<Row> rows, HashSet<long> touched,
        List<(string Period, string Scope)> scopes, CancellationToken ct)
    {
        var years = new Dictionary<int, Period>();
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i].Type == PeriodType.HalfYear)
            {
                var code = new PeriodCode(PeriodType.Year, periods[i].Year, 0).Code;
                years[i] = storedPeriods.GetValueOrDefault(code) ?? calendar.Create(code);
            }
        }

        if (years.Count == 0)
            return [];
        var changed = new HashSet<(Period Year, Area Province)>();
        var unchanged = new HashSet<(Period Year, Area Province)>();
        foreach (var row in rows)
        {
            // The first half's states and yes/no answers are not read by the year (it reads their S2 value), its counts are.
            if (!years.TryGetValue(row.PeriodIndex, out var year) || IndicatorCatalogue.Find(row.IndicatorId)?.ReadByYearFrom(periods[row.PeriodIndex].Number) != true)
                continue;
            var unit = units[row.UnitIndex];
            var area = history.AreaOn(unit.Id, unit.AreaId, Dates.Contains(unit.ActiveFrom, unit.ActiveTo, year.End) ? year.End : periods[row.PeriodIndex].End);
            if (TouchedScopes.ProvinceOn(tree, area, year.End) is { } province)
                (touched.Contains(((long)row.PeriodIndex << 32) | (uint)row.UnitIndex) ? changed : unchanged).Add((year, province));
        }

        var result = changed.Select(s => (s.Year.Code, s.Province.Code)).Where(s => !scopes.Contains(s)).ToHashSet();
        foreach (var (year, province) in unchanged)
        {
            if (result.Contains((year.Code, province.Code)) || scopes.Contains((year.Code, province.Code)))
                continue;
            var (first, second) = Period.HalvesOf(year.Year);
            var read = new[] { year.Code, first, second }.Select(c => storedPeriods.GetValueOrDefault(c)?.Id ?? 0).Where(id => id != 0).ToList();
            if (read.Count == 0)
                continue;
            var lastChange = await LatestAsync(db, $"""
                SELECT "ChangedAt" FROM "DataValueAudits" WHERE "Id" = (SELECT MAX("Id") FROM "DataValueAudits" WHERE "PeriodId" IN ({Names.List(read)}))
                """, ct);
            var lastRun = year.Id == 0 ? null : await LatestAsync(db, """
                SELECT r."StartedAt" FROM "ScopeStates" s INNER JOIN "EvaluationRuns" r ON r."Id" = s."LatestRunId"
                WHERE s."PeriodId" = @p0 AND s."ScopeAreaId" = @p1
                """, ct, year.Id, province.Id);
            if (lastChange is { } change && (lastRun is not { } run || change > run))
                result.Add((year.Code, province.Code));
        }

        return [.. result];
    }

    private static async Task<DateTime?> LatestAsync(QcdcDbContext db, string sql, CancellationToken ct, params object[] parameters) =>
        (await PlainSql.ListAsync(db, sql, r => r.IsDBNull(0) ? (DateTime?)null : r.UtcDateTime(0), ct, parameters)).SingleOrDefault();

    /// <summary>
    /// The scopes of rows this file did not change whose values changed after their latest run began, or that hold values
    /// and were never evaluated: an earlier import stopped between its commit and its evaluation (killed, the host
    /// restarted with its queued job), or ran with --no-evaluate. Importing the file again evaluates them, so that no
    /// stored value is left out of every run.
    /// </summary>
    private static async Task<List<(string Period, string Scope)>> UnevaluatedScopesAsync(QcdcDbContext db, AreaTree tree, List<Period> periods,
        Func<int, int, UnitRef> unitOn, List<Row> rows, List<(string Period, string Scope)> changed, CancellationToken ct)
    {
        var named = new HashSet<(int Period, int Area)>();
        foreach (var row in rows)
            named.Add((row.PeriodIndex, unitOn(row.UnitIndex, row.PeriodIndex).AreaId));
        var scopes = new HashSet<(int Period, Area Province)>();
        foreach (var (period, area) in named)
        {
            if (TouchedScopes.ProvinceOn(tree, area, periods[period].End) is { } province)
                scopes.Add((period, province));
        }

        var result = new List<(string Period, string Scope)>();
        var lastChanges = new Dictionary<int, DateTime?>();
        foreach (var (index, province) in scopes)
        {
            var period = periods[index];
            if (period.Id == 0 || changed.Contains((period.Code, province.Code)))
                continue;
            // The period's latest audit row (the highest id: ids follow the order rows were written), once per period, not
            // an aggregate over a national period's audit rows for each of its provinces.
            if (!lastChanges.TryGetValue(period.Id, out var lastChange))
            {
                lastChanges[period.Id] = lastChange = await LatestAsync(db,
                    """SELECT "ChangedAt" FROM "DataValueAudits" WHERE "Id" = (SELECT MAX("Id") FROM "DataValueAudits" WHERE "PeriodId" = @p0)""", ct, period.Id);
            }

            var lastRun = await LatestAsync(db, """
                SELECT r."StartedAt" FROM "ScopeStates" s INNER JOIN "EvaluationRuns" r ON r."Id" = s."LatestRunId"
                WHERE s."PeriodId" = @p0 AND s."ScopeAreaId" = @p1
                """, ct, period.Id, province.Id);
            if (lastChange is { } change && (lastRun is not { } run || change > run))
                result.Add((period.Code, province.Code));
        }

        return result;
    }

    /// <summary>
    /// The import's transaction, and on PostgreSQL the stream of its new values (<see cref="DataValueStore.NewValueStream"/>):
    /// begun before the check when the file is large enough for its units to be read whole, else when the checked rows are
    /// written. A row is streamed when its period held no value as the import began (a new period is stored at its first
    /// row, in the transaction) and its key follows the last streamed of its period (the values' key then grows at its end,
    /// as the sorted COPY after the check makes it; a row out of that order is written with the others after the check).
    /// Disposed, it cancels a COPY still open and rolls back what was not committed.
    /// </summary>
    private sealed class PendingWrite(QcdcDbContext db) : IAsyncDisposable
    {
        private IDbContextTransaction? _transaction;
        private DataValueStore.NewValueStream? _stream;
        private bool _tried;
        // By period index: whether the period held no value as the import began (null: not asked yet), and the last key streamed.
        private readonly List<bool?> _heldNoValues = [];
        private readonly List<long> _lastKey = [];

        public int Streamed => _stream?.Count ?? 0;

        public async Task<IDbContextTransaction> BeginAsync(CancellationToken ct) => _transaction ??= await db.Database.BeginTransactionAsync(ct);

        /// <summary>Starts the stream once, when the provider has one.</summary>
        public async Task StreamAsync(ValueStamp stamp, CancellationToken ct)
        {
            if (_tried)
                return;
            _tried = true;
            if (db.Database.GetDbConnection() is not Npgsql.NpgsqlConnection)
                return;
            await BeginAsync(ct);
            _stream = DataValueStore.NewValueStream.On(db, stamp);
        }

        /// <summary>Sends a checked row's value now when it can be; false when it is left for the write after the check.</summary>
        public async ValueTask<bool> TryStreamAsync(List<Period> periods, int period, int unitId, int indicatorId, long value, string? comment, CancellationToken ct)
        {
            if (_stream is null)
                return false;
            while (_heldNoValues.Count <= period)
            {
                _heldNoValues.Add(null);
                _lastKey.Add(-1);
            }

            if (_heldNoValues[period] is null)
            {
                await _stream.PauseAsync(ct);
                var p = periods[period];
                if (p.Id == 0)
                {
                    await PeriodStore.InsertAsync(db, [p], ct);
                    _heldNoValues[period] = true;
                }
                else
                {
                    _heldNoValues[period] = !await HoldsValuesAsync(db, p.Id, ct);
                }
            }

            var key = ((long)unitId << 16) | (ushort)indicatorId;
            if (_heldNoValues[period] != true || key <= _lastKey[period])
                return false;
            _lastKey[period] = key;
            await _stream.AddAsync(periods[period].Id, unitId, indicatorId, value, comment, ct);
            return true;
        }

        /// <summary>Whether the period (by index) held no value as the import began; false when that was not asked.</summary>
        public bool HeldNoValues(int period) => period < _heldNoValues.Count && _heldNoValues[period] == true;

        /// <summary>Ends the COPY under way, so that the connection can run the write's statements.</summary>
        public Task PauseAsync(CancellationToken ct) => _stream?.PauseAsync(ct) ?? Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (_stream is not null)
                await _stream.DisposeAsync();
            if (_transaction is not null)
                await _transaction.DisposeAsync();
        }
    }

    /// <summary>
    /// Reads the stored units a batch of rows names that are not known yet: a one-row correction reads one unit, not the
    /// million stored.
    /// </summary>
    private static async Task<TableRow[]> WithUnitsAsync(QcdcDbContext db, TableRow[] batch, List<UnitRef> units, Dictionary<string, int> index, bool[] allRead,
        UnitsAhead? ahead, CancellationToken ct)
    {
        if (allRead[0])
            return batch;
        var codes = batch.Select(r => Text.Code(r.Cells[UnitCode])).OfType<string>().Where(c => !index.ContainsKey(c)).Distinct().ToList();
        using var lookup = codes.Count == 0 ? null : Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.units");
        if (index.Count + codes.Count >= WholeTableAt)
        {
            // A file that names thousands of units (a sparse long file, a filled template of a district or more) reads the
            // table once: one scan costs less than looking each up by code (a file of 200,000 units: 11 s of lookups,
            // under 1 s read whole; a 100,000-row template, 72 batches of 1,400 codes: 6.8 s of lookups).
            if (ahead is null)
                await ReadAllUnitsAsync(db, units, index, ct);
            else
                await ahead.AddToAsync(units, index);

            allRead[0] = true;
            return batch;
        }

        foreach (var chunk in codes.Chunk(PlainSql.MaxParameters))
        {
            var found = await PlainSql.ListAsync(db, $"""{AllUnitsSql} WHERE "Code" IN ({PlainSql.Placeholders(chunk.Length)})""",
                r => new UnitRef(r.GetInt32(0), r.GetString(1), r.Enum<UnitKind>(2), r.GetBoolean(3), r.GetInt32(4), r.NullableDate(5), r.NullableDate(6)), ct,
                chunk.Cast<object>().ToArray());
            foreach (var unit in found)
            {
                index[unit.Code] = units.Count;
                units.Add(unit);
            }
        }

        return batch;
    }

    /// <summary>
    /// Every stored unit, read by one plain query (EF's materialiser costs more than the read at 200,000 units: the CLI
    /// importing a sparse file paid it on every run).
    /// </summary>
    private static async Task ReadAllUnitsAsync(QcdcDbContext db, List<UnitRef> units, Dictionary<string, int> index, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            using (SqliteLocks.WaitForLocks(sqlite))
                ReadAllUnitsSqlite(sqlite.Handle!, units, index);
            return;
        }

        await ReadAllUnitsAsync(connection, db.Database.CurrentTransaction?.GetDbTransaction(), units, index, ct);
    }

    private static async Task ReadAllUnitsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, List<UnitRef> units,
        Dictionary<string, int> index, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AllUnitsSql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var kinds = new Dictionary<string, UnitKind>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var code = reader.GetString(1);
            var kindText = reader.GetString(2);
            if (!kinds.TryGetValue(kindText, out var kind))
                kinds[kindText] = kind = Enum.Parse<UnitKind>(kindText);
            if (index.TryAdd(code, units.Count))
                units.Add(new UnitRef(reader.GetInt32(0), code, kind, reader.GetBoolean(3), reader.GetInt32(4), reader.NullableDate(5), reader.NullableDate(6)));
        }
    }

    private const string AllUnitsSql = """SELECT "Id", "Code", "Kind", "HasTradeUnion", "AreaId", "ActiveFrom", "ActiveTo" FROM "Units" """;

    /// <summary>
    /// SQLite: the same rows through its C API on the connection's handle (in its transaction, if any), the kind matched
    /// on its UTF-8 bytes: Microsoft.Data.Sqlite's reader cost more than SQLite's own reading at 200,000 units.
    /// </summary>
    private static void ReadAllUnitsSqlite(SQLitePCL.sqlite3 handle, List<UnitRef> units, Dictionary<string, int> index, CancellationToken ct = default)
    {
        var kinds = Enum.GetValues<UnitKind>().Select(k => (Name: System.Text.Encoding.UTF8.GetBytes(k.ToString()), Kind: k)).ToArray();
        BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, AllUnitsSql, out var prepared));
        using (prepared)
        using (var statement = new SqliteNative.Statement(prepared))
        {
            int step;
            while ((step = statement.Step()) == SQLitePCL.raw.SQLITE_ROW)
            {
                if ((units.Count & 4095) == 0)
                    ct.ThrowIfCancellationRequested();
                var code = System.Text.Encoding.UTF8.GetString(statement.ColumnBlob(1));
                var kindText = statement.ColumnBlob(2);
                var kind = -1;
                for (var k = 0; k < kinds.Length && kind < 0; k++)
                {
                    if (kindText.SequenceEqual(kinds[k].Name))
                        kind = k;
                }

                if (kind < 0)
                    throw new InvalidOperationException($"unit {code}: unknown kind '{System.Text.Encoding.UTF8.GetString(kindText)}'");
                if (index.TryAdd(code, units.Count))
                {
                    units.Add(new UnitRef(statement.ColumnInt(0), code, kinds[kind].Kind, statement.ColumnInt(3) != 0, statement.ColumnInt(4), Day(statement, 5), Day(statement, 6)));
                }
            }

            if (step != SQLitePCL.raw.SQLITE_DONE)
                BulkInserter.Check(handle, step);
        }
    }

    /// <summary>A date column as SQLite stores it (EF writes <c>yyyy-MM-dd</c>), or null.</summary>
    private static DateOnly? Day(SqliteNative.Statement statement, int column) =>
        statement.ColumnIsNull(column)
            ? null
            : DateOnly.ParseExact(System.Text.Encoding.UTF8.GetString(statement.ColumnBlob(column)), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>When a unit is active, as a refusal says it: "active to 30/06/2025".</summary>
    private static string Activity(UnitRef unit)
    {
        static string Show(DateOnly day) => day.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        return (unit.ActiveFrom, unit.ActiveTo) switch
        {
            ({ } from, { } to) => $"active from {Show(from)} to {Show(to)}",
            ({ } from, null) => $"active from {Show(from)}",
            (null, { } to) => $"active to {Show(to)}",
            _ => "active always",
        };
    }

    /// <summary>File sizes from which the units are read ahead: a long file naming 2,000 units (<see cref="WholeTableAt"/>) has about 80 KB.</summary>
    public const long ReadAheadFrom = 64 * 1024;

    /// <summary>
    /// Starts reading every stored unit on a connection of its own (SQLite and PostgreSQL), for a file large enough to
    /// name thousands of units: the read (0.2 s of CPU at 200,000 units) then runs on another core while the import opens
    /// its context, reads the area tree and the periods, and reads the file's first rows. Null for a smaller file or
    /// another provider. What it reads is used only where <see cref="WithUnitsAsync"/> would read the whole table itself;
    /// otherwise it is dropped (a file of that size naming fewer units reads the table once for nothing, on the side).
    /// </summary>
    public static UnitsAhead? ReadUnitsAhead(StorageOptions storage, long fileLength) =>
        fileLength >= ReadAheadFrom && (storage.Provider == StorageProvider.Postgres || (storage.Provider == StorageProvider.Sqlite && IsFile(storage)))
            ? new UnitsAhead(storage)
            : null;

    /// <summary>A SQLite database another connection sees as it is (an in-memory one is a new, empty database to each connection).</summary>
    private static bool IsFile(StorageOptions storage)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(storage.ConnectionString);
        return builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory && builder.DataSource is { Length: > 0 } source && source != ":memory:";
    }

    /// <summary>Every stored unit, read on a connection of its own; disposing it stops the read if nobody took it, and waits for it.</summary>
    public sealed class UnitsAhead : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<List<UnitRef>> _read;
        private bool _taken;

        internal UnitsAhead(StorageOptions storage)
        {
            var ct = _stop.Token;
            _read = Task.Run(async () =>
            {
                using var activity = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.units.ahead");
                var units = new List<UnitRef>();
                var index = new Dictionary<string, int>();
                if (storage.Provider == StorageProvider.Sqlite)
                {
                    await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(storage.ConnectionString);
                    await sqlite.OpenAsync(ct);
                    using (SqliteLocks.WaitForLocks(sqlite))
                        ReadAllUnitsSqlite(sqlite.Handle!, units, index, ct);
                }
                else
                {
                    await using var npgsql = new Npgsql.NpgsqlConnection(storage.ConnectionString);
                    await npgsql.OpenAsync(ct);
                    activity?.AddEvent(new System.Diagnostics.ActivityEvent("opened"));
                    await ReadAllUnitsAsync(npgsql, null, units, index, ct);
                }

                return units;
            }, ct);
        }

        /// <summary>Adds the units read, in their order, to those known (a unit known already keeps its place), as the read on the import's own connection would.</summary>
        internal async Task AddToAsync(List<UnitRef> units, Dictionary<string, int> index)
        {
            _taken = true;
            var read = await _read;
            index.EnsureCapacity(index.Count + read.Count);
            units.EnsureCapacity(units.Count + read.Count);
            foreach (var unit in read)
            {
                if (index.TryAdd(unit.Code, units.Count))
                    units.Add(unit);
            }
        }

        /// <summary>
        /// Stops the read if nobody took it and waits for it to end, so that its connection never outlives the import (a
        /// SQLite file is then closed with its write-ahead log checkpointed, and can be copied or deleted).
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            if (!_taken)
            {
                await _stop.CancelAsync();
                try
                {
                    await _read;
                }
                catch (Exception) when (_read.IsCanceled || _read.IsFaulted)
                {
                    // Nobody wanted the units: a read stopped or failed changes nothing.
                }
            }

            _stop.Dispose();
        }
    }

    /// <summary>
    /// A row's (unit index, period index, indicator id) as one key: a period index is below 777 (the years 1990-2100 have
    /// as many period codes) and an indicator id is the catalogue's, both well below 2^16.
    /// </summary>
    private static long RowKey(int unit, int period, int indicator) => ((long)unit << 32) | ((long)(ushort)period << 16) | (ushort)indicator;

    /// <summary>Units named by the file (those looked up so far and a batch's new ones) from which the whole unit table is read instead of looked up code by code.</summary>
    private const int WholeTableAt = 2000;

    private static long? ParseValue(RowReader r, Indicator indicator)
    {
        if (r.IsBlank(ValueColumn))
        {
            r.Problem(ValueColumn, $"value is empty; write the figure for {indicator.Code}, or leave the row out");
            return null;
        }

        switch (indicator.ValueType)
        {
            case IndicatorValueType.Boolean:
                return r.Boolean(ValueColumn) is { } b ? (b ? 1 : 0) : null;
            case IndicatorValueType.Percentage:
                return r.Percentage(ValueColumn);
            default:
                return r.WholeNumber(ValueColumn, 0, DataValue.MaxValue);
        }
    }

    private static async Task<Dictionary<(int Unit, int Indicator), (long Value, string? Comment)>> LoadExistingAsync(
        QcdcDbContext db, int periodId, List<int> unitIds, CancellationToken ct)
    {
        var result = new Dictionary<(int, int), (long, string?)>();
        if (periodId == 0 || !await HoldsValuesAsync(db, periodId, ct))
            return result;

        // Only the file's units, by key: reading a whole period would grow with every file imported before.
        foreach (var chunk in unitIds.Chunk(PlainSql.MaxParameters - 1))
        {
            var parameters = new object[chunk.Length + 1];
            parameters[0] = periodId;
            Array.Copy(chunk.Cast<object>().ToArray(), 0, parameters, 1, chunk.Length);
            var rows = await PlainSql.ListAsync(db,
                $"""SELECT "UnitId", "IndicatorId", "Value", "Comment" FROM "DataValues" WHERE "PeriodId" = @p0 AND "UnitId" IN ({PlainSql.Placeholders(chunk.Length, 1)})""",
                r => (Unit: r.GetInt32(0), Indicator: r.GetInt32(1), Value: r.GetInt64(2), Comment: r.NullableString(3)), ct, parameters);
            foreach (var v in rows)
                result[(v.Unit, v.Indicator)] = (v.Value, v.Comment);
        }

        return result;
    }

    /// <summary>Whether any value of the stored period is stored.</summary>
    private static async Task<bool> HoldsValuesAsync(QcdcDbContext db, int periodId, CancellationToken ct) =>
        Convert.ToInt32(await PlainSql.ScalarAsync(db, """SELECT CASE WHEN EXISTS (SELECT 1 FROM "DataValues" WHERE "PeriodId" = @p0) THEN 1 ELSE 0 END""", ct, periodId),
            System.Globalization.CultureInfo.InvariantCulture) != 0;

    private static readonly int PeopleInformed = IndicatorCatalogue.Get("PEOPLE_INFORMED").Id, PeopleToInform = IndicatorCatalogue.Get("PEOPLE_TO_INFORM").Id;

    /// <summary>
    /// The people a unit informed are among its people to inform: a row that makes PEOPLE_INFORMED more than
    /// PEOPLE_TO_INFORM for its unit and period, against the other figure in the file or stored, is refused (an area's
    /// share sums numerators over denominators, so one such unit would hide the others' shortfall). The mediation and
    /// complaint pairs are not compared: cases carried over from an earlier period may be settled in this one.
    /// </summary>
    private static async Task RefuseMoreInformedThanPeopleAsync(QcdcDbContext db, Table table, List<UnitRef> units, List<Period> periods, List<Row> rows,
        CancellationToken ct)
    {
        // By (period index, unit index) packed in a long: the file's row of each figure.
        var pairs = new Dictionary<long, (Row? Informed, Row? ToInform)>();
        foreach (var row in rows)
        {
            if (row.IndicatorId != PeopleInformed && row.IndicatorId != PeopleToInform)
                continue;
            var key = ((long)row.PeriodIndex << 32) | (uint)row.UnitIndex;
            var pair = pairs.GetValueOrDefault(key);
            pairs[key] = row.IndicatorId == PeopleInformed ? (row, pair.ToInform) : (pair.Informed, row);
        }

        // The figure the file does not give, as stored (only that one: a row of the file may be in the table already, streamed).
        var stored = new Dictionary<(long Pair, int Indicator), long>();
        foreach (var period in pairs.Where(p => p.Value.Informed is null || p.Value.ToInform is null).GroupBy(p => (int)(p.Key >> 32)))
        {
            if (periods[period.Key].Id == 0)
                continue;
            var unitIndexOf = period.ToDictionary(p => units[(int)p.Key].Id, p => (int)p.Key);
            foreach (var chunk in unitIndexOf.Keys.Chunk(PlainSql.MaxParameters - 1))
            {
                var found = await PlainSql.ListAsync(db,
                    $"""SELECT "UnitId", "IndicatorId", "Value" FROM "DataValues" WHERE "PeriodId" = @p0 AND "IndicatorId" IN ({PeopleInformed}, {PeopleToInform}) AND "UnitId" IN ({PlainSql.Placeholders(chunk.Length, 1)})""",
                    r => (Unit: r.GetInt32(0), Indicator: r.GetInt32(1), Value: r.GetInt64(2)), ct, [periods[period.Key].Id, .. chunk.Cast<object>()]);
                foreach (var v in found)
                {
                    var key = ((long)period.Key << 32) | (uint)unitIndexOf[v.Unit];
                    var (informed, toInform) = pairs[key];
                    if ((v.Indicator == PeopleInformed && informed is null) || (v.Indicator == PeopleToInform && toInform is null))
                        stored[(key, v.Indicator)] = v.Value;
                }
            }
        }

        const string Fix = "the people informed are among the people to inform: correct one of the two figures";
        var problems = table.Problems;
        foreach (var (key, (informedRow, toInformRow)) in pairs)
        {
            var informed = informedRow?.Value ?? (stored.TryGetValue((key, PeopleInformed), out var i) ? i : null);
            var toInform = toInformRow?.Value ?? (stored.TryGetValue((key, PeopleToInform), out var t) ? t : null);
            if (informed is null || toInform is null || informed <= toInform)
                continue;
            var (unit, period) = (units[(int)key].Code, periods[(int)(key >> 32)].Code);
            if (informedRow is { } row)
            {
                problems.Add(row.Number, table.Schema[ValueColumn].Name,
                    $"PEOPLE_INFORMED {informed} is more than PEOPLE_TO_INFORM {toInform} ({(toInformRow is null ? "stored" : "in this file")}) of unit {unit} in {period}; {Fix}",
                    unit, "PEOPLE_INFORMED");
            }
            else
            {
                problems.Add(toInformRow!.Value.Number, table.Schema[ValueColumn].Name,
                    $"PEOPLE_TO_INFORM {toInform} is less than PEOPLE_INFORMED {informed} (stored) of unit {unit} in {period}; {Fix}", unit, "PEOPLE_TO_INFORM");
            }
        }
    }

    /// <summary>
    /// A file that touches a value of a signed-off (area, period) is refused whole: one problem per unit and period
    /// locked, on its first locked row, naming the sign-off and how to reopen it. A half's value locked by its year
    /// alone is one the year reads (<see cref="SignOffLocks.YearReads"/>): of a first half, the refusal names the file's
    /// indicators so locked.
    /// </summary>
    private static async Task RefuseSignedOffAsync(QcdcDbContext db, AreaTree tree, Table table, List<UnitRef> units, List<Period> periods, List<Row> rows,
        CancellationToken ct)
    {
        var locks = await SignOffLocks.InForceAsync(db, tree, periods, ct);
        var locked = new Dictionary<(int Unit, int Period), (int Row, IReadOnlyList<SignOff> SignOffs, List<string> Read)>();
        foreach (var row in rows)
        {
            var (unit, period) = (units[row.UnitIndex], periods[row.PeriodIndex]);
            if (locks.LockingAll(unit.Id, unit.AreaId, period, row.IndicatorId) is not [_, ..] signOffs)
                continue;
            if (!locked.TryGetValue((row.UnitIndex, row.PeriodIndex), out var told))
                locked[(row.UnitIndex, row.PeriodIndex)] = told = (row.Number, signOffs, []);
            else if (signOffs.Count > told.SignOffs.Count)
                locked[(row.UnitIndex, row.PeriodIndex)] = told = told with { SignOffs = signOffs };
            if (SignOffLocks.YearReads(period, row.IndicatorId) && IndicatorCatalogue.Find(row.IndicatorId) is { } indicator && !told.Read.Contains(indicator.Code))
                told.Read.Add(indicator.Code);
        }

        foreach (var ((unit, period), (number, signOffs, read)) in locked)
            table.Problems.Add(number, table.Schema[PeriodColumn].Name, locks.Refusal(signOffs, periods[period], units[unit].Code, read));
        table.Problems.ThrowIfAny();
    }

    private static string Describe(PeriodType type) => type switch
    {
        PeriodType.Year => "year",
        PeriodType.HalfYear => "half-year",
        _ => "quarter",
    };

    private static string Example(PeriodType type, int year) => type switch
    {
        PeriodType.Year => $"{year}",
        PeriodType.HalfYear => $"{year}S1 or {year}S2",
        _ => $"{year}Q1",
    };
}

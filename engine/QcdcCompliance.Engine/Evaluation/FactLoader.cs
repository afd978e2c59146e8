using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Storage;
using QcdcCompliance.Telemetry;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// The facts of one (period, province): its units' reports, the targets in force (each bound to its set's area), the
/// sets they come from and what each unit owes (<see cref="Duties"/>).
/// </summary>
public sealed record ScopeFacts(Period Period, Area Scope, IReadOnlyList<UnitReport> Reports, IReadOnlyList<TargetFact> Targets, string RuleSetVersion,
    IReadOnlyList<Resolution> Resolutions, ReportingDuties Duties)
{
    /// <summary>When the run that measures these facts started (UTC): before the period's deadline its area findings carry an early warning.</summary>
    public DateTime? EvaluatedAt { get; init; }

    /// <summary>
    /// A year: the reports of units closed during it that were units of its first half (<see cref="CarriedReports"/>),
    /// apart from <see cref="Reports"/>, which stay the units judged. Their first half's counts add to their areas' year
    /// sums (<see cref="CarriedFlows"/>) and to the review report's; no rule sees them. Empty for any other period.
    /// </summary>
    public IReadOnlyList<UnitReport> Carried { get; init; } = [];
}

/// <summary>The target sets in force for a (period, province), each with the area it binds there (null: the country).</summary>
public sealed record SetsInForce(IReadOnlyList<(Resolution Set, AreaRef? Bound)> Sets, string Version);

/// <summary>
/// Loads what a session needs from the database: units active in the period whose area sits in the province on the
/// period's last day (districts only while they existed, merged areas through their successors), their values (a
/// year reads half-year indicators as the sum of the halves or the second half's snapshot), what each owed and did not
/// report, and the targets in force: those of the sets that bind the province or an area in it on the period's days.
/// A year also loads, apart, the first-half flows of its units closed during it (<see cref="ScopeFacts.Carried"/>).
/// </summary>
public sealed class FactLoader(TargetRuleCatalogue catalogue)
{
    public async Task<ScopeFacts> LoadAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, CancellationToken ct)
    {
        var paths = PathsIn(period, scope, tree);
        return await LoadAsync(db, period, scope, tree, paths, ct);
    }

    public async Task<ScopeFacts> LoadAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        CancellationToken ct) =>
        await LoadAsync(db, period, scope, tree, paths, await StoredSetsAsync(db, ct), ct);

    /// <summary>
    /// The facts of the units in <paramref name="within"/>, an area of the province <paramref name="scope"/> (or the
    /// province itself), under the sets that bind the province: each unit's report is the one a load of the province
    /// makes, without reading the rest of the province (a district's completeness read all 195,166 units of its province,
    /// 06/12).
    /// </summary>
    public async Task<ScopeFacts> LoadWithinAsync(QcdcDbContext db, Period period, Area scope, Area within, AreaTree tree, CancellationToken ct)
    {
        var paths = PathsIn(period, scope, tree);
        var (targets, sets, duties) = TargetsOf(await StoredSetsAsync(db, ct), period, scope, tree, paths);
        var under = within.Id == scope.Id ? paths : paths.Where(p => p.Value.Any(a => a.Id == within.Id)).ToDictionary(p => p.Key, p => p.Value);
        var reports = await ReportsAsync(db, period, under, duties, onlyUnits: null, indexOf: null, ct, scanUnits: ScansUnits(db, under, tree));
        return new ScopeFacts(period, scope, reports, targets, sets.Version, sets.Sets.Select(s => s.Set).ToList(), duties);
    }

    /// <summary>
    /// The facts as <paramref name="resolutions"/> (instead of the stored sets) would make them: a what-if. The rows
    /// read are also fed to <paramref name="fingerprint"/>, if given (as <see cref="FingerprintAsync"/> reads them).
    /// </summary>
    public async Task<ScopeFacts> LoadAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        IReadOnlyList<Resolution> resolutions, CancellationToken ct, InputFingerprint? fingerprint = null)
    {
        var (targets, sets, duties) = TargetsOf(resolutions, period, scope, tree, paths);
        var reports = await ReportsAsync(db, period, paths, duties, onlyUnits: null, indexOf: null, ct, fingerprint, ScansUnits(db, paths, tree));
        return new ScopeFacts(period, scope, reports, targets, sets.Version, sets.Sets.Select(s => s.Set).ToList(), duties)
        {
            Carried = await CarriedReports.LoadAsync(db, period, scope, tree, paths, fingerprint, ct),
        };
    }

    /// <summary>
    /// The current reports of some units of a scope, for a warm session: each keeps the index it has in the session
    /// (<paramref name="indexOf"/> gives it, or -1 for a unit new to the scope). Units no longer active or no longer in
    /// the scope are left out, for the caller to retract.
    /// </summary>
    public Task<List<UnitReport>> LoadUnitsAsync(QcdcDbContext db, ScopeFacts facts, Dictionary<int, IReadOnlyList<AreaRef>> paths, IReadOnlyCollection<int> unitIds,
        Func<int, int> indexOf, CancellationToken ct) =>
        ReportsAsync(db, facts.Period, paths, facts.Duties, unitIds, indexOf, ct);

    /// <summary>
    /// The current reports of some units of a province under the stored sets, as a load of the province makes them,
    /// without reading the rest of it: a reminder is checked at delivery against what its unit has reported since.
    /// </summary>
    public async Task<List<UnitReport>> LoadUnitsAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, IReadOnlyCollection<int> unitIds, CancellationToken ct)
    {
        var paths = PathsIn(period, scope, tree);
        var (_, _, duties) = TargetsOf(await StoredSetsAsync(db, ct), period, scope, tree, paths);
        return await ReportsAsync(db, period, paths, duties, unitIds, _ => -1, ct);
    }

    /// <summary>The rule-set version the period and scope would be evaluated with now (a cheap check for a warm session).</summary>
    public async Task<string> VersionAsync(QcdcDbContext db, Period period, Area scope, CancellationToken ct)
    {
        var tree = await db.LoadAreaTreeAsync(ct);
        return SetsFor(await TargetSetRows.ResolutionsAsync(db, targets: false, ct), period, scope, tree, PathsIn(period, scope, tree)).Version;
    }

    /// <summary>
    /// The targets in force for the period and scope, the sets they come from with the rule-set version they make, and
    /// what each kind of unit owes. A year also restates the half-year targets on its readings (the state at the year's
    /// end), over areas only, so that the year's review states every target of the resolution.
    /// </summary>
    public async Task<(List<TargetFact> Targets, SetsInForce Sets, ReportingDuties Duties)> TargetsAsync(
        QcdcDbContext db, Period period, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths, CancellationToken ct) =>
        TargetsOf(await StoredSetsAsync(db, ct), period, scope, tree, paths);

    /// <summary>The stored target sets with their targets.</summary>
    public static async Task<List<Resolution>> StoredSetsAsync(QcdcDbContext db, CancellationToken ct) =>
        await TargetSetRows.ResolutionsAsync(db, targets: true, ct);

    /// <summary>What <see cref="TargetsAsync"/> makes of a list of sets.</summary>
    public (List<TargetFact> Targets, SetsInForce Sets, ReportingDuties Duties) TargetsOf(
        IEnumerable<Resolution> resolutions, Period period, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths)
    {
        var sets = SetsFor(resolutions, period, scope, tree, paths);
        var targets = new List<TargetFact>();
        var forTheYear = new List<ReportingDuty>();
        foreach (var (set, bound) in sets.Sets)
        {
            foreach (var target in set.Targets.Where(t => t.InForceFor(period)))
            {
                var restated = target.RestatedOn(period.Type);
                if ((target.EvaluatedOn(period.Type) || restated) && TargetFacts.From(set, target, catalogue, bound, period.Type) is { } fact)
                    targets.Add(fact);
                else if (period.Type == PeriodType.HalfYear && target.EvaluatedOn(PeriodType.Year) && TargetFacts.From(set, target, catalogue, bound) is { } year
                         && ReportingDuties.OwedForTheYear(year, period) is { } duty)
                    forTheYear.Add(duty);
            }
        }

        if (targets.All(t => t.Code != ReportingTarget.Code) && period.Type != PeriodType.Quarter)
            targets.Add(ReportingTarget.Default(catalogue));
        targets.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return (targets, sets, ReportingDuties.Of(period, targets, sets.Sets, forTheYear));
    }

    /// <summary>
    /// The sets in force for the period that bind the province or an area in it on the period's last day. A set scoped
    /// to an area merged away binds its successor only where the set says it follows successors, and only the one area
    /// that took its place (<see cref="AreaTree.SuccessorOn"/>), never its parent.
    /// </summary>
    public SetsInForce SetsFor(IEnumerable<Resolution> resolutions, Period period, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths)
    {
        var result = new List<(Resolution, AreaRef?)>();
        foreach (var set in resolutions.Where(r => r.AppliesTo(period)).OrderBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.ScopeAreaCode, StringComparer.Ordinal))
        {
            if (set.IsNational)
            {
                result.Add((set, null));
                continue;
            }

            if (tree.Find(set.ScopeAreaCode!) is not { } named)
                continue;
            var bound = named.ExistsOn(period.End) ? named : set.FollowsSuccessors ? tree.SuccessorOn(named.Id, period.End) : null;
            if (bound is not null && paths.TryGetValue(bound.Id, out var path))
                result.Add((set, path[0]));
        }

        return new SetsInForce(result, RuleSetVersion.Of(catalogue.AssemblyHash, result.Select(s => s.Item1.ContentHash + "@" + (s.Item2?.Code ?? "national"))));
    }

    /// <summary>For every area that sits in the province on the period's last day, its path up to the province.</summary>
    public static Dictionary<int, IReadOnlyList<AreaRef>> PathsIn(Period period, Area scope, AreaTree tree)
    {
        var paths = new Dictionary<int, IReadOnlyList<AreaRef>>();
        var refs = new Dictionary<int, AreaRef>();
        foreach (var area in tree.Areas)
        {
            var path = tree.PathOn(area.Id, period.End);
            if (path.Count > 0 && path[^1].Id == scope.Id)
                paths[area.Id] = path.Select(a => refs.TryGetValue(a.Id, out var r) ? r : refs[a.Id] = new AreaRef(a.Id, a.Code, a.Name, a.Level)).ToArray();
        }

        // Areas with the same path share one array: units of a commune share their path object.
        var shared = new Dictionary<string, IReadOnlyList<AreaRef>>();
        foreach (var key in paths.Keys.ToList())
        {
            var id = string.Join('/', paths[key].Select(a => a.Id));
            paths[key] = shared.TryGetValue(id, out var same) ? same : shared[id] = paths[key];
        }

        return paths;
    }

    private static async Task<List<UnitReport>> ReportsAsync(QcdcDbContext db, Period period, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        ReportingDuties duties, IReadOnlyCollection<int>? onlyUnits, Func<int, int>? indexOf, CancellationToken ct, InputFingerprint? fingerprint = null,
        bool scanUnits = false)
    {
        var areaIds = paths.Keys.ToList();
        var sources = await SourcePeriodsAsync(db, period, ct);
        fingerprint?.Sources(sources.Select(kv => ((int)kv.Key, kv.Value.Id)));
        var slotOf = sources.ToDictionary(kv => kv.Value.Id, kv => (int)kv.Key);

        List<UnitFact> units;
        HashSet<int> secondHalfOnly;
        Placement placement;
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load.units"))
        {
            placement = await Placement.OnAsync(db, period, paths, onlyUnits, ct);
            units = await UnitsAsync(db, period, paths, areaIds, onlyUnits, fingerprint, scanUnits, placement, ct);
            secondHalfOnly = await SecondHalfOnlyAsync(db, period, areaIds, onlyUnits, placement, ct);
            fingerprint?.SecondHalfOnly(secondHalfOnly);
        }
        var positionOf = new Dictionary<int, int>(units.Count);
        for (var i = 0; i < units.Count; i++)
            positionOf[units[i].Id] = i;

        // Every value read, as (unit's position, source, indicator, value), then grouped by unit with one counting pass.
        var read = new List<LoadedValue>();
        using (QcdcTelemetry.Source.StartActivity("qcdc.evaluate.load.values"))
        {
            var span = new UnitSpan();
            foreach (var unit in units)
                span.Add(unit.Id);
            var valuesSqls = placement.ValuesSqls(ValuesSql(db, slotOf.Keys, areaIds, onlyUnits, scanUnits, span), db, slotOf.Keys, span);
            void Add(int unit, int periodId, int indicator, long value)
            {
                fingerprint?.Value(unit, periodId, indicator, value);
                if (!positionOf.TryGetValue(unit, out var position))
                    return;
                if (value > DataValue.MaxValue)
                    throw TooLarge(units[position], sources[(Source)slotOf[periodId]], indicator, value);
                read.Add(new LoadedValue(position, (byte)slotOf[periodId], (byte)indicator, value));
            }

            if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
            {
                await OnSqliteAsync(db, sqlite, handle =>
                {
                    foreach (var valuesSql in valuesSqls)
                        ReadValueRows(handle, valuesSql, Add, ct);
                }, ct);
            }
            else
            {
                foreach (var valuesSql in valuesSqls)
                {
                    await using var values = await ReaderAsync(db, valuesSql, ct);
                    var reader = values.DbDataReader;
                    while (await reader.ReadAsync(ct))
                        Add(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3));
                }
            }
        }

        var start = new int[units.Count + 1];
        foreach (var value in read)
            start[value.Unit + 1]++;
        for (var i = 0; i < units.Count; i++)
            start[i + 1] += start[i];
        var grouped = new LoadedValue[read.Count];
        var next = (int[])start.Clone();
        foreach (var value in read)
            grouped[next[value.Unit]++] = value;
        read = null;

        // Each unit's report on its own: a scope's on every core, a warm session's few units here.
        var reports = new UnitReport[units.Count];
        if (reports.Length <= 8192)
            Reports(0, reports.Length);
        else
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, units.Count, 8192), new ParallelOptions { CancellationToken = ct },
                range => Reports(range.Item1, range.Item2));
        }

        void Reports(int from, int to)
        {
            var bySource = new long?[3][];
            for (var s = 0; s < bySource.Length; s++)
                bySource[s] = new long?[Indicators.Slots];
            var reading = new long?[Indicators.Slots];
            for (var u = from; u < to; u++)
            {
                foreach (var slots in bySource)
                    Array.Clear(slots);
                for (var k = start[u]; k < start[u + 1]; k++)
                    bySource[grouped[k].Source][grouped[k].Indicator] = grouped[k].Value;
                var fact = units[u];
                var secondHalf = secondHalfOnly.Contains(fact.Id);
                Read(period, bySource, reading, firstHalfOwed: !secondHalf);
                reports[u] = new UnitReport(fact, indexOf?.Invoke(fact.Id) ?? u, reading, duties.MissingFor(fact, reading), duties.Owed(fact).Count, secondHalf);
            }
        }

        return [.. reports];
    }

    /// <summary>
    /// A value an import would refuse, stored before imports checked the range (an old database): the scope cannot be
    /// evaluated (a year's sum of it would not fit a report), and the user is told which figure to correct.
    /// </summary>
    private static EvaluationRequestException TooLarge(UnitFact unit, Period period, int indicator, long value) =>
        new($"unit {unit.Code}, period {period.Code}, indicator {IndicatorCatalogue.All.Single(i => i.Id == indicator).Code}: the stored value {value} is above "
            + $"{DataValue.MaxValue.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}, the largest a value may be (stored before imports refused it); "
            + "import the unit's right figure with 'qcdc import values', then evaluate again");

    /// <summary>The smallest and largest id of the units read; none read, an empty span (no value is read).</summary>
    internal sealed class UnitSpan
    {
        public int First { get; private set; } = 1;
        public int Last { get; private set; }
        private bool _any;

        public void Add(int id)
        {
            (First, Last) = _any ? (Math.Min(First, id), Math.Max(Last, id)) : (id, id);
            _any = true;
        }
    }

    /// <summary>One stored value as the loader groups them: the unit's position among the units read, which period it is of, the indicator.</summary>
    private readonly record struct LoadedValue(int Unit, byte Source, byte Indicator, long Value);

    /// <summary>
    /// The units of the scope's areas active on the period's last day (or those of <paramref name="onlyUnits"/> among
    /// them), by id, read by one plain query (EF's materialiser cost more than the read; on SQLite through its C API,
    /// <see cref="ReadUnitRows"/>, elsewhere <see cref="ReadUnitRowsAsync"/>). Only integers read from the database and
    /// the period's days are inlined. Each text comes as UTF-8 and is handed as it is to the fingerprint; this thread
    /// copies the rows into chunks, and each full chunk is made into units (its texts decoded once) on another core while
    /// the next is read: decoding a province's 600,000 texts took longer than reading them.
    /// </summary>
    private static async Task<List<UnitFact>> UnitsAsync(QcdcDbContext db, Period period, Dictionary<int, IReadOnlyList<AreaRef>> paths, List<int> areaIds,
        IReadOnlyCollection<int>? onlyUnits, InputFingerprint? fingerprint, bool scanUnits, Placement placement, CancellationToken ct)
    {
        var sqls = placement.UnitsSqls(UnitsSql(db, period, areaIds, onlyUnits, scanUnits), db, period);
        var chunks = new List<Task<UnitFact[]>>();
        var chunk = new UnitRows();
        void Row(int id, ReadOnlySpan<byte> code, ReadOnlySpan<byte> name, ReadOnlySpan<byte> kind, bool tradeUnion, int areaId, ReadOnlySpan<byte> contact,
            bool noContact)
        {
            fingerprint?.Unit(id, code, name, kind, tradeUnion, areaId, contact, noContact);
            chunk.Add(id, code, name, KindOf(kind), tradeUnion, areaId, contact, noContact);
            if (chunk.Count == UnitRows.Capacity)
            {
                var full = chunk;
                chunks.Add(Task.Run(() => full.Units(paths), ct));
                chunk = new UnitRows();
            }
        }

        var placed = placement.Placed(Row);
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            await OnSqliteAsync(db, sqlite, handle =>
            {
                foreach (var sql in sqls)
                    ReadUnitRows(handle, sql, placed, ct);
            }, ct);
        }
        else
        {
            foreach (var sql in sqls)
                await ReadUnitRowsAsync(db, sql, placed, ct);
        }

        if (chunk.Count > 0)
            chunks.Add(Task.FromResult(chunk.Units(paths)));
        var units = new List<UnitFact>();
        foreach (var made in await Task.WhenAll(chunks))
            units.AddRange(made);

        // By id, sorted here: an ORDER BY made SQLite sort every row with its columns before the first came back (0.8 s at 200,000 units).
        units.Sort((a, b) => a.Id.CompareTo(b.Id));
        return units;
    }

    /// <summary>Units' rows as stored, their texts as UTF-8 in one buffer, until they are made into units.</summary>
    private sealed class UnitRows
    {
        // Small enough that no array of a chunk is a large object (85,000 bytes or more): each is collected young.
        public const int Capacity = 512;
        private readonly int[] _ids = new int[Capacity], _areas = new int[Capacity];
        private readonly UnitKind[] _kinds = new UnitKind[Capacity];
        private readonly bool[] _tradeUnions = new bool[Capacity];
        // Per row: where its code, name and contact start in the text; a contact's length is -1 when it has none.
        private readonly (int Start, int Length)[] _texts = new (int, int)[3 * Capacity];
        private byte[] _text = new byte[Capacity * 96];
        private int _used;

        public int Count { get; private set; }

        public void Add(int id, ReadOnlySpan<byte> code, ReadOnlySpan<byte> name, UnitKind kind, bool tradeUnion, int areaId, ReadOnlySpan<byte> contact,
            bool noContact)
        {
            (_ids[Count], _areas[Count], _kinds[Count], _tradeUnions[Count]) = (id, areaId, kind, tradeUnion);
            _texts[3 * Count] = Copy(code);
            _texts[(3 * Count) + 1] = Copy(name);
            _texts[(3 * Count) + 2] = noContact ? (0, -1) : Copy(contact);
            Count++;
        }

        private (int, int) Copy(ReadOnlySpan<byte> text)
        {
            if (_used + text.Length > _text.Length)
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + text.Length));
            text.CopyTo(_text.AsSpan(_used));
            _used += text.Length;
            return (_used - text.Length, text.Length);
        }

        public UnitFact[] Units(Dictionary<int, IReadOnlyList<AreaRef>> paths)
        {
            var units = new UnitFact[Count];
            for (var i = 0; i < units.Length; i++)
            {
                var contact = _texts[(3 * i) + 2];
                units[i] = new UnitFact(_ids[i], Text(_texts[3 * i]), Text(_texts[(3 * i) + 1]), _kinds[i], _tradeUnions[i], paths[_areas[i]],
                    contact.Length < 0 ? null : Text(contact));
            }

            return units;
        }

        private string Text((int Start, int Length) text) => System.Text.Encoding.UTF8.GetString(_text, text.Start, text.Length);
    }

    /// <summary>A unit's row as <see cref="UnitsSql"/> selects it, its texts as the UTF-8 stored (valid until the next row).</summary>
    private delegate void UnitRow(int id, ReadOnlySpan<byte> code, ReadOnlySpan<byte> name, ReadOnlySpan<byte> kind, bool tradeUnion, int areaId,
        ReadOnlySpan<byte> contact, bool noContact);

    /// <summary>Steps through the rows of <see cref="UnitsSql"/> on the handle, each handed to <paramref name="row"/>: the load's and the fingerprint's one reading of them.</summary>
    private static void ReadUnitRows(SQLitePCL.sqlite3 handle, string sql, UnitRow row, CancellationToken ct)
    {
        using var prepared = Prepare(handle, sql);
        using var statement = new SqliteNative.Statement(prepared);
        int step, read = 0;
        while ((step = statement.Step()) == SQLitePCL.raw.SQLITE_ROW)
        {
            if ((++read & 4095) == 0)
                ct.ThrowIfCancellationRequested();
            var noContact = statement.ColumnIsNull(6);
            row(statement.ColumnInt(0), statement.ColumnBlob(1), statement.ColumnBlob(2), statement.ColumnBlob(3), statement.ColumnInt(4) != 0, statement.ColumnInt(5),
                noContact ? default : statement.ColumnBlob(6), noContact);
        }

        Done(handle, step);
    }

    /// <summary>
    /// The same rows on a server provider, through the ADO.NET reader, each text handed to <paramref name="row"/> as UTF-8:
    /// on PostgreSQL the bytes as they came (Npgsql reads a text column's bytes without decoding them), on SQL Server
    /// encoded from the string its reader decodes. The load then makes each unit's strings once, on every core, as on
    /// SQLite, and the fingerprint hashes the bytes without a string between.
    /// </summary>
    private static async Task ReadUnitRowsAsync(QcdcDbContext db, string sql, UnitRow row, CancellationToken ct)
    {
        await using var read = await ReaderAsync(db, sql, ct);
        var texts = new UnitTexts(read.DbDataReader);
        while (await read.DbDataReader.ReadAsync(ct))
            texts.Read(row);
    }

    /// <summary>The texts of a unit's row read from an ADO.NET reader into one reused buffer as UTF-8.</summary>
    private sealed class UnitTexts(System.Data.Common.DbDataReader reader)
    {
        private readonly bool _bytes = reader is Npgsql.NpgsqlDataReader;
        private byte[] _buffer = new byte[1024];
        private int _used;

        public void Read(UnitRow row)
        {
            _used = 0;
            var id = reader.GetInt32(0);
            var (code, name, kind) = (Text(1), Text(2), Text(3));
            var (tradeUnion, areaId) = (reader.GetBoolean(4), reader.GetInt32(5));
            var noContact = reader.IsDBNull(6);
            var contact = noContact ? default : Text(6);
            row(id, Span(code), Span(name), Span(kind), tradeUnion, areaId, Span(contact), noContact);
        }

        private ReadOnlySpan<byte> Span((int Start, int Length) text) => _buffer.AsSpan(text.Start, text.Length);

        private (int Start, int Length) Text(int ordinal)
        {
            if (_bytes)
            {
                var length = (int)reader.GetBytes(ordinal, 0, null, 0, 0);
                Room(length);
                reader.GetBytes(ordinal, 0, _buffer, _used, length);
                _used += length;
                return (_used - length, length);
            }

            var text = reader.GetString(ordinal);
            Room(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
            var written = System.Text.Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
            _used += written;
            return (_used - written, written);
        }

        private void Room(int length)
        {
            if (_used + length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + length));
        }
    }

    private static readonly (byte[] Name, UnitKind Kind)[] KindNames =
        Enum.GetValues<UnitKind>().Select(k => (System.Text.Encoding.UTF8.GetBytes(k.ToString()), k)).ToArray();

    /// <summary>A unit kind as stored (its name), matched on its UTF-8 bytes.</summary>
    private static UnitKind KindOf(ReadOnlySpan<byte> stored)
    {
        foreach (var (name, kind) in KindNames)
        {
            if (stored.SequenceEqual(name))
                return kind;
        }

        return Enum.Parse<UnitKind>(System.Text.Encoding.UTF8.GetString(stored));
    }

    /// <summary>Runs a read on the SQLite handle of the context's connection: in the caller's snapshot when there is one (its connection is open), otherwise opened for the read.</summary>
    internal static async Task OnSqliteAsync(QcdcDbContext db, Microsoft.Data.Sqlite.SqliteConnection sqlite, Action<SQLitePCL.sqlite3> read, CancellationToken ct)
    {
        var opened = sqlite.State != System.Data.ConnectionState.Open;
        if (opened)
            await db.Database.OpenConnectionAsync(ct);
        try
        {
            using (SqliteLocks.WaitForLocks(sqlite))
                read(sqlite.Handle!);
        }
        finally
        {
            if (opened)
                await db.Database.CloseConnectionAsync();
        }
    }

    private static SQLitePCL.sqlite3_stmt Prepare(SQLitePCL.sqlite3 handle, string sql)
    {
        BulkInserter.Check(handle, SQLitePCL.raw.sqlite3_prepare_v2(handle, sql, out var statement));
        return statement;
    }

    private static void Done(SQLitePCL.sqlite3 handle, int step)
    {
        if (step != SQLitePCL.raw.SQLITE_DONE)
            BulkInserter.Check(handle, step);
    }

    /// <summary>The units' columns a load reads (id, code, name, kind, trade union, area, contact), of the units of some areas active on the period's last day (<see cref="Unit.ActiveAt"/>).</summary>
    private static string UnitsSql(QcdcDbContext db, Period period, List<int>? areaIds, IReadOnlyCollection<int>? onlyUnits, bool scanUnits)
    {
        var u = Names.Of<Unit>(db);
        return $"SELECT {u[nameof(Unit.Id)]}, {u[nameof(Unit.Code)]}, {u[nameof(Unit.Name)]}, {u[nameof(Unit.Kind)]}, {u[nameof(Unit.HasTradeUnion)]}, "
               + $"{u[nameof(Unit.AreaId)]}, {u[nameof(Unit.ContactEmail)]} FROM {u.Table} "
               + (areaIds is null ? "WHERE 1 = 1" : $"WHERE {(scanUnits ? "+" : "")}{u[nameof(Unit.AreaId)]} IN ({Names.List(areaIds)})")
               + $" AND ({u[nameof(Unit.ActiveFrom)]} IS NULL OR {u[nameof(Unit.ActiveFrom)]} <= {Day(period.End)})"
               + $" AND ({u[nameof(Unit.ActiveTo)]} IS NULL OR {u[nameof(Unit.ActiveTo)]} >= {Day(period.End)})"
               + (onlyUnits is null ? "" : $" AND {u[nameof(Unit.Id)]} IN ({Names.List(onlyUnits)})");
    }

    /// <summary>
    /// The <see cref="InputFingerprint"/> of a scope's facts and how many units they hold, from the rows a load reads
    /// (the same two queries), without building a report: a run over unchanged data pays for reading the rows, not
    /// for the facts. Read in the caller's snapshot, the same the facts are then loaded in if the fingerprint differs.
    /// </summary>
    public static async Task<(string Fingerprint, int Units)> FingerprintAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree,
        Dictionary<int, IReadOnlyList<AreaRef>> paths, string ruleSetVersion, bool earlyWarning, CancellationToken ct)
    {
        using var rows = QcdcTelemetry.Source.StartActivity("qcdc.evaluate.fingerprint.rows");
        var areaIds = paths.Keys.ToList();
        var sources = await SourcePeriodsAsync(db, period, ct);
        using var fingerprint = new InputFingerprint(ruleSetVersion, period, earlyWarning, scope, paths);
        fingerprint.Sources(sources.Select(kv => ((int)kv.Key, kv.Value.Id)));
        var scanUnits = ScansUnits(db, paths, tree);
        var placement = await Placement.OnAsync(db, period, paths, onlyUnits: null, ct);
        fingerprint.SecondHalfOnly(await SecondHalfOnlyAsync(db, period, areaIds, onlyUnits: null, placement, ct));
        await CarriedReports.LoadAsync(db, period, scope, tree, paths, fingerprint, ct);
        var unitsSqls = placement.UnitsSqls(UnitsSql(db, period, areaIds, onlyUnits: null, scanUnits), db, period);
        var periodIds = sources.Values.Select(p => p.Id).ToList();
        IReadOnlyList<string> ValuesOf(UnitSpan span) => placement.ValuesSqls(ValuesSql(db, periodIds, areaIds, onlyUnits: null, scanUnits, span), db, periodIds, span);
        if (db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            await OnSqliteAsync(db, sqlite, handle => FingerprintSqlite(handle, unitsSqls, placement, ValuesOf, fingerprint, ct), ct);
            return (fingerprint.Finish(), fingerprint.Units);
        }

        var span = new UnitSpan();
        var row = placement.Placed((id, code, name, kind, tradeUnion, areaId, contact, noContact) =>
        {
            fingerprint.Unit(id, code, name, kind, tradeUnion, areaId, contact, noContact);
            span.Add(id);
        });
        foreach (var unitsSql in unitsSqls)
            await ReadUnitRowsAsync(db, unitsSql, row, ct);

        foreach (var valuesSql in ValuesOf(span))
        {
            await using var values = await ReaderAsync(db, valuesSql, ct);
            var reader = values.DbDataReader;
            while (await reader.ReadAsync(ct))
                fingerprint.Value(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3));
        }

        return (fingerprint.Finish(), fingerprint.Units);
    }

    /// <summary>
    /// SQLite, in the snapshot the connection is in: the same rows through SQLite's C API, the texts handed to the
    /// fingerprint as the UTF-8 SQLite stores (the bytes the other path gets by encoding the strings it decoded), so
    /// that a run over unchanged data makes no string. At 200,000 units Microsoft.Data.Sqlite's reader cost more than
    /// SQLite's own reading.
    /// </summary>
    private static void FingerprintSqlite(SQLitePCL.sqlite3 handle, IReadOnlyList<string> unitsSqls, Placement placement, Func<UnitSpan, IReadOnlyList<string>> valuesSqls,
        InputFingerprint fingerprint, CancellationToken ct)
    {
        var span = new UnitSpan();
        var row = placement.Placed((id, code, name, kind, tradeUnion, areaId, contact, noContact) =>
        {
            fingerprint.Unit(id, code, name, kind, tradeUnion, areaId, contact, noContact);
            span.Add(id);
        });
        foreach (var unitsSql in unitsSqls)
            ReadUnitRows(handle, unitsSql, row, ct);
        foreach (var valuesSql in valuesSqls(span))
            ReadValueRows(handle, valuesSql, fingerprint.Value, ct);
    }

    /// <summary>
    /// Steps through the rows of <see cref="ValuesSql"/> on the handle (unit, period, indicator, value), each handed to
    /// <paramref name="row"/>: the load's and the fingerprint's one reading of them. Microsoft.Data.Sqlite's reader checks
    /// each column's type and nullity at every read, which cost more than SQLite's own reading (a year of 200,000 units
    /// reads its own values and both halves').
    /// </summary>
    private static void ReadValueRows(SQLitePCL.sqlite3 handle, string sql, Action<int, int, int, long> row, CancellationToken ct)
    {
        using var prepared = Prepare(handle, sql);
        using var statement = new SqliteNative.Statement(prepared);
        int step, read = 0;
        while ((step = statement.Step()) == SQLitePCL.raw.SQLITE_ROW)
        {
            if ((++read & 4095) == 0)
                ct.ThrowIfCancellationRequested();
            row(statement.ColumnInt(0), statement.ColumnInt(1), statement.ColumnInt(2), statement.ColumnInt64(3));
        }

        Done(handle, step);
    }

    /// <summary>
    /// SQL read as EF runs its own commands (its interceptors and logging, the context's transaction, the connection
    /// opened for the read and closed after it), without its materialiser.
    /// </summary>
    private static Task<RelationalDataReader> ReaderAsync(QcdcDbContext db, string sql, CancellationToken ct) => PlainSql.ReaderAsync(db, sql, ct);

    /// <summary>A day of the period as a SQL literal (ISO 8601, as the providers store and compare dates), formatted from a <see cref="DateOnly"/>, never from text.</summary>
    internal static string Day(DateOnly day) => "'" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "'";

    /// <summary>
    /// The values of some periods for the units of some areas (or some units), through the covering index on (period,
    /// unit, indicator, value). Written as SQL because the plan matters, and on SQLite the join's order is set
    /// (<c>CROSS JOIN</c> keeps SQLite's order): a scope of a few areas reads unit by unit, each unit's values of each
    /// period found in the index (the cost follows the province's size: from LINQ, SQLite once walked the whole period's
    /// values for every province, 34 scans of 8 million rows at 1,000,000 units); a scope holding at least half the
    /// stored areas (<see cref="ScansUnits"/>) reads each period's values in the index's order and looks their unit up
    /// by its id, the unary plus keeping SQLite from the areas' index. Either way the same rows. The values read are
    /// bounded by the ids of the units read (<paramref name="units"/>; on SQLite looking each unit's values up, by the
    /// join alone): a province's units are imported together, so on the values' index, period first, its values are one
    /// range of each period, and PostgreSQL reads that range instead of every stored value of the period (its planner
    /// hashed the whole table for each province: at 1,000,000 units a province's values took 0.3-1.1 s). Values of
    /// units not read (inactive in the period) play no part in a run. Only integers read from the database are inlined.
    /// </summary>
    internal static string ValuesSql(QcdcDbContext db, IEnumerable<int> periodIds, IEnumerable<int> areaIds, IReadOnlyCollection<int>? onlyUnits, bool scanUnits,
        UnitSpan units)
    {
        var (v, u) = (Names.Of<DataValue>(db), Names.Of<Unit>(db));
        var columns = $"SELECT v.{v[nameof(DataValue.UnitId)]}, v.{v[nameof(DataValue.PeriodId)]}, v.{v[nameof(DataValue.IndicatorId)]}, v.{v[nameof(DataValue.Value)]} ";
        if (onlyUnits is not null)
            return columns + $"FROM {v.Table} v WHERE v.{v[nameof(DataValue.UnitId)]} IN ({Names.List(onlyUnits)}) AND v.{v[nameof(DataValue.PeriodId)]} IN ({Names.List(periodIds)})";
        // SQLite looking each unit's values up (units first) has the unit's id: a range beside it, on either table (SQLite
        // carries it across the join), made it search the whole range for every unit instead of the unit's own entries
        // (a province among 34 at 100,000 units: 154 s). There the join bounds the values alone.
        var bound = !db.Database.IsSqlite() || scanUnits
            ? $" AND v.{v[nameof(DataValue.UnitId)]} BETWEEN {units.First.ToString(System.Globalization.CultureInfo.InvariantCulture)} AND {units.Last.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : "";
        var where = $"WHERE {(scanUnits ? "+" : "")}u.{u[nameof(Unit.AreaId)]} IN ({Names.List(areaIds)}) AND v.{v[nameof(DataValue.PeriodId)]} IN ({Names.List(periodIds)})" + bound;
        var on = $"ON v.{v[nameof(DataValue.UnitId)]} = u.{u[nameof(Unit.Id)]} ";
        if (!db.Database.IsSqlite())
            return columns + $"FROM {u.Table} u JOIN {v.Table} v " + on + where;
        return columns + (scanUnits ? $"FROM {v.Table} v CROSS JOIN {u.Table} u " : $"FROM {u.Table} u CROSS JOIN {v.Table} v ") + on + where;
    }

    /// <summary>
    /// SQLite, a scope holding at least half the stored areas (a province's own database): its units are read by one
    /// pass over the unit table, in the table's order, rather than looked up area by area through the index on the area
    /// (a lookup of the table for each unit). At 200,000 units, the scope every unit: the units 0.16-0.18 s through the
    /// index, 0.07 s by the pass; their values 0.13-0.15 s against 0.06 s (the sqlite3 shell, the same queries, the file
    /// mapped), and read period by period in the index's order since the values' index leads by the period. A province
    /// among many keeps the index: the pass would read every province's units. The unary plus keeps SQLite from the
    /// index; the rows read are the same.
    /// </summary>
    private static bool ScansUnits(QcdcDbContext db, Dictionary<int, IReadOnlyList<AreaRef>> paths, AreaTree tree) =>
        db.Database.IsSqlite() && paths.Count * 2 >= tree.Count;

    /// <summary>
    /// Where the units that changed sat on the period's last day, and what they were (<see cref="UnitHistory"/>): the
    /// rows read by area are those whose row names an area of the scope now; a unit whose version of that day sat
    /// elsewhere is left out, and one whose version sat in the scope but whose row names another area now is read by
    /// its id (<see cref="Candidates"/>), with its values. The history is read once and is empty for nearly every
    /// unit: without it the rows are handed on as they are, and the queries are the ones a load always made.
    /// </summary>
    private sealed class Placement
    {
        private readonly UnitHistory _history;
        private readonly DateOnly _day;
        private readonly Dictionary<int, IReadOnlyList<AreaRef>> _paths;
        private readonly HashSet<int> _placed = [];

        private Placement(UnitHistory history, DateOnly day, Dictionary<int, IReadOnlyList<AreaRef>> paths, IReadOnlyCollection<int>? onlyUnits)
        {
            (_history, _day, _paths) = (history, day, paths);
            Candidates = history.UnitIds.Where(id => history.On(id, day) is { } version && paths.ContainsKey(version.AreaId) && (onlyUnits is null || onlyUnits.Contains(id)))
                .Order().ToList();
        }

        public static async Task<Placement> OnAsync(QcdcDbContext db, Period period, Dictionary<int, IReadOnlyList<AreaRef>> paths, IReadOnlyCollection<int>? onlyUnits,
            CancellationToken ct) =>
            new(await UnitHistoryRows.FromAsync(db, period.End, ct), period.End, paths, onlyUnits);

        /// <summary>The units that sat in the scope on the day by an earlier version: read by id, whatever area their row names now.</summary>
        public List<int> Candidates { get; }

        /// <summary>The units placed in the scope whose row names an area outside it now: their values are read by id.</summary>
        public List<int> MovedIn { get; } = [];

        /// <summary>The queries of the units: the one by area, then the candidates' by id.</summary>
        public IReadOnlyList<string> UnitsSqls(string byArea, QcdcDbContext db, Period period) =>
            Candidates.Count == 0 ? [byArea] : [byArea, UnitsSql(db, period, areaIds: null, Candidates, scanUnits: false)];

        /// <summary>The queries of the values: the one by area, then the moved-in units' by id.</summary>
        public IReadOnlyList<string> ValuesSqls(string byArea, QcdcDbContext db, IEnumerable<int> periodIds, UnitSpan span) =>
            MovedIn.Count == 0 ? [byArea] : [byArea, ValuesSql(db, periodIds, [], MovedIn, scanUnits: false, span)];

        /// <summary>The rows handed to <paramref name="row"/> as the units were on the day: placed where they sat, of the kind and union they had, once each.</summary>
        public UnitRow Placed(UnitRow row) => _history.IsEmpty ? row : (id, code, name, kind, tradeUnion, areaId, contact, noContact) =>
        {
            if (_history.On(id, _day) is not { } version)
            {
                row(id, code, name, kind, tradeUnion, areaId, contact, noContact);
                return;
            }

            if (!_paths.ContainsKey(version.AreaId) || !_placed.Add(id))
                return;
            if (!_paths.ContainsKey(areaId))
                MovedIn.Add(id);
            row(id, code, name, KindNames.First(k => k.Kind == version.Kind).Name, version.HasTradeUnion, version.AreaId, contact, noContact);
        };
    }

    private enum Source
    {
        Own = 0,
        FirstHalf = 1,
        SecondHalf = 2,
    }

    private static async Task<Dictionary<Source, Period>> SourcePeriodsAsync(QcdcDbContext db, Period period, CancellationToken ct)
    {
        var result = new Dictionary<Source, Period> { [Source.Own] = period };
        if (period.Type != PeriodType.Year)
            return result;
        var (first, second) = Period.HalvesOf(period.Year);
        foreach (var half in await PeriodStore.WithCodesAsync(db, ct, first, second))
            result[half.Code == first ? Source.FirstHalf : Source.SecondHalf] = half;
        return result;
    }

    /// <summary>
    /// A year: the units it reads (active on its last day) that opened after its first half's last day, so were never
    /// asked the first half's figures. Every other unit of the year was in both halves. Empty for other periods.
    /// </summary>
    private static async Task<HashSet<int>> SecondHalfOnlyAsync(QcdcDbContext db, Period period, List<int> areaIds, IReadOnlyCollection<int>? onlyUnits,
        Placement placement, CancellationToken ct)
    {
        if (period.Type != PeriodType.Year)
            return [];
        var u = Names.Of<Unit>(db);
        // The first half ends on 30 June, moved as the calendar moves every window (its shift is the year's own).
        var firstHalfEnds = new DateOnly(period.Year, 6, 30).AddDays(period.Start.DayNumber - new DateOnly(period.Year, 1, 1).DayNumber);
        var sql = $"SELECT {u[nameof(Unit.Id)]} FROM {u.Table} WHERE {u[nameof(Unit.ActiveFrom)]} > {Day(firstHalfEnds)} AND {u[nameof(Unit.ActiveFrom)]} <= {Day(period.End)}"
                  + $" AND ({u[nameof(Unit.ActiveTo)]} IS NULL OR {u[nameof(Unit.ActiveTo)]} >= {Day(period.End)})"
                  + (placement.Candidates.Count == 0
                      ? $" AND {u[nameof(Unit.AreaId)]} IN ({Names.List(areaIds)})"
                      : $" AND ({u[nameof(Unit.AreaId)]} IN ({Names.List(areaIds)}) OR {u[nameof(Unit.Id)]} IN ({Names.List(placement.Candidates)}))")
                  + (onlyUnits is null ? "" : $" AND {u[nameof(Unit.Id)]} IN ({Names.List(onlyUnits)})");
        return [.. await PlainSql.ListAsync(db, sql, r => r.GetInt32(0), ct)];
    }

    /// <summary>
    /// The values as the period reads them, into <paramref name="read"/>; a year takes its half-year indicators from the
    /// halves: the second half's value for a state, the sum of the halves for a count. A sum is known only when every
    /// half the unit was in has its value: a half not reported leaves the year's figure missing, never counted as 0
    /// (a commune with no dialogue in S1 and nothing reported for S2 has not shown it held none in the year; a ratio of
    /// counts with one half unknown could be anything). <paramref name="firstHalfOwed"/> is false for a unit opened in
    /// the second half, which sums that half alone.
    /// </summary>
    private static void Read(Period period, long?[][] bySource, long?[] read, bool firstHalfOwed)
    {
        bySource[(int)Source.Own].CopyTo(read, 0);
        if (period.Type != PeriodType.Year)
            return;
        var (first, second) = (bySource[(int)Source.FirstHalf], bySource[(int)Source.SecondHalf]);
        foreach (var indicator in IndicatorCatalogue.All)
        {
            if (indicator.PeriodType != PeriodType.HalfYear)
                continue;
            var (a, b) = (first[indicator.Id], second[indicator.Id]);
            read[indicator.Id] = indicator.YearRollup == YearRollup.EndOfYear
                ? b
                : b is null || (a is null && firstHalfOwed) ? null : (a ?? 0) + b;
        }
    }
}

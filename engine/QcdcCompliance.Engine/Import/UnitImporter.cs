using System.Globalization;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// <c>code,name,kind,area_code,has_trade_union,headcount,contact_email,active_from,active_to[,changed_on]</c>; upserted by
/// code. A change of what decides where a unit sits and which populations it is in (its area, kind, trade union) takes
/// effect from <c>changed_on</c>, by default the day of the import in Viet Nam: the version it replaces is kept (<see
/// cref="UnitVersion"/>) for the periods that ended before, so a move re-attributes no past period. A change that would
/// alter a signed-off period (its last day on or after the change, the unit in the signed area before or after) is
/// refused, as a value of that period would be.
/// </summary>
public static class UnitImporter
{
    public static readonly IReadOnlyList<Column> Schema =
    [
        new("code"), new("name"), new("kind"), new("area_code"), new("has_trade_union"), new("headcount"),
        new("contact_email"), new("active_from"), new("active_to"), new("changed_on", Required: false),
    ];

    private const int Code = 0, Name = 1, Kind = 2, AreaCode = 3, Union = 4, Headcount = 5, Email = 6, From = 7, To = 8, ChangedOn = 9;

    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, Table table, ImportContext context, CancellationToken ct = default)
    {
        var problems = table.Problems;
        var areas = await db.Areas.AsNoTracking().ToDictionaryAsync(a => a.Code, ct);
        var tree = await db.LoadAreaTreeAsync(ct);
        var allowed = await ImportScope.ForAsync(db, context, tree, ct);
        var today = VietnamTime.Today(context.Clock);
        var rows = new List<(int Number, Unit Unit, DateOnly? ChangedOn, Optional Blank, Optional Cleared)>();
        var seen = new Dictionary<string, int>();
        foreach (var tableRow in table.Rows)
        {
            var r = new RowReader(table, tableRow, problems);
            var code = r.Code(Code);
            var name = r.Name(Name);
            var kind = ParseKind(r);
            var areaCode = r.Code(AreaCode);
            var (blank, cleared) = (Optional.None, Optional.None);
            foreach (var (column, cell) in OptionalCells)
            {
                if (r.IsBlank(column))
                    blank |= cell;
                else if (cell != Optional.Union && r.Clears(column))
                    cleared |= cell;
            }

            var union = r.Boolean(Union) ?? false;
            var headcount = (cleared & Optional.Headcount) != 0 ? null : r.WholeNumber(Headcount, 0, int.MaxValue);
            string? email = null;
            // The column holds 256 characters (an address is at most 254 by RFC 5321): a longer one is refused here, named, not by the database.
            if ((cleared & Optional.Email) == 0 && r.Text(Email, 256) is { } text)
            {
                if (Cells.TryEmail(text, out var address, out var error))
                    email = address;
                else
                    r.Problem(Email, error);
            }

            var from = (cleared & Optional.From) != 0 ? null : r.Date(From);
            var to = (cleared & Optional.To) != 0 ? null : r.Date(To);
            if (from is not null && to is not null && to < from)
                r.Problem(To, $"active_to {to:yyyy-MM-dd} is before active_from {from:yyyy-MM-dd}");
            var changedOn = r.Date(ChangedOn);
            if (changedOn > today)
                r.Problem(ChangedOn, $"changed_on {changedOn:yyyy-MM-dd} is after today ({today:yyyy-MM-dd} in Viet Nam); import a change on or after the day it takes effect");

            // An area outside the principal's answers as an unknown one, before anything else is said of it.
            Area? area = null;
            if (areaCode is not null && (!areas.TryGetValue(areaCode, out area) || (allowed is not null && !allowed.HoldsToday(area.Id))))
            {
                r.Problem(AreaCode, allowed is null
                    ? $"unknown area {areaCode}; import it with 'qcdc import areas' first"
                    : $"unknown area {areaCode}, or outside your area; you may import units of your own area only");
                area = null;
            }
            else if (area is not null && !area.Overlaps(from ?? DateOnly.MinValue, to ?? DateOnly.MaxValue))
                r.Problem(AreaCode, $"area {area.Code} did not exist while the unit was active; check active_from/active_to or the area's validity");

            if (code is not null && !seen.TryAdd(code, r.Number))
                r.Problem(Code, $"duplicate row: unit {code} is already on row {seen[code]}; keep one");
            else if (code is not null && name is not null && kind is not null && area is not null)
            {
                rows.Add((r.Number, new Unit
                {
                    Code = code, Name = name, Kind = kind.Value, AreaId = area.Id, HasTradeUnion = union,
                    Headcount = (int?)headcount, ContactEmail = email, ActiveFrom = from, ActiveTo = to,
                }, changedOn, blank, cleared));
            }
        }

        await RefuseNewUnitsWithoutUnionAsync(db, table, rows.Where(r => (r.Blank & Optional.Union) != 0).Select(r => (r.Number, r.Unit)).ToList(), ct);
        problems.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The sign-offs are read in this transaction, the structure held against a sign-off until it commits (SignOffTurns):
        // one that commits first is read and refuses the file, one that comes later waits for it.
        await SignOffTurns.ForStructureAsync(db, ct);
        // Read without tracking: a million stored units are looked up, only the changed ones are written.
        var stored = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Code, ct);
        int inserted = 0, updated = 0, unchanged = 0;
        var fresh = new List<Unit>();
        var changes = new List<UnitChange>();
        var activity = new List<(int Row, Unit? Before, Unit After)>();
        // Every unit written, as it was and as it is, with the day a change of its place takes effect: what the import touched.
        var written = new List<(Unit? Before, Unit After, DateOnly? PlaceFrom)>();
        // Who changed which field of a unit, when, from what to what: one row a field changed, in the import's transaction.
        var audits = new List<UnitAudit>();
        var lastStoredId = stored.Count == 0 ? 0 : stored.Values.Max(u => u.Id);
        // Every earlier version, tracked: few rows (units rarely change), cut or dropped below when a change is dated back.
        var history = new UnitHistory(await db.UnitVersions.ToListAsync(ct));
        var kept = new OptionalCounts();
        var emptied = new OptionalCounts();
        var crossed = new List<ImportProblem>();
        foreach (var (number, unit, changedOn, blank, cleared) in rows)
        {
            if (!stored.TryGetValue(unit.Code, out var existing))
            {
                fresh.Add(unit);
                activity.Add((number, null, unit));
                written.Add((null, unit, null));
                inserted++;
                continue;
            }

            if (allowed is not null && !allowed.HoldsToday(existing.AreaId))
                throw new ImportRejectedException(table.File, [new ImportProblem(table.File, number, "code", $"the code {unit.Code} cannot be used in your area; give the unit a code of its own (you may change units of your own area only)")]);
            KeepStored(unit, existing, blank, kept);
            emptied.Count(existing, cleared);
            if (unit.ActiveFrom is { } first && unit.ActiveTo is { } last && last < first)
            {
                var (column, what) = (blank & Optional.To) != 0 ? ("active_from", $"active_from {first:yyyy-MM-dd} is after the stored active_to {last:yyyy-MM-dd}")
                    : (blank & Optional.From) != 0 ? ("active_to", $"active_to {last:yyyy-MM-dd} is before the stored active_from {first:yyyy-MM-dd}")
                    : ("active_to", $"active_to {last:yyyy-MM-dd} is before active_from {first:yyyy-MM-dd}");
                crossed.Add(new ImportProblem(table.File, number, column, $"{what} of unit {unit.Code}; write both dates (a blank cell keeps the stored one, {RowReader.Clear} empties it)"));
                continue;
            }

            // A row that names the unit as it is now, with a changed_on before its current version began, corrects the versions since.
            var placeChanges = !SamePlace(existing, unit) || (changedOn is { } day && history.Of(existing.Id).Any(v => v.Until >= day));
            if (Same(existing, unit) && !placeChanges)
            {
                unchanged++;
                continue;
            }

            unit.Id = existing.Id;
            if (existing.ActiveFrom != unit.ActiveFrom || existing.ActiveTo != unit.ActiveTo)
                activity.Add((number, existing, unit));
            if (placeChanges)
                changes.Add(new UnitChange(number, existing, unit, changedOn ?? today));
            written.Add((existing, unit, placeChanges ? changedOn ?? today : null));
            audits.AddRange(Audits(tree, existing, unit, placeChanges ? changedOn ?? today : null, context, table.File));
            db.Units.Update(unit);
            updated++;
        }

        if (crossed.Count > 0)
            throw new ImportRejectedException(table.File, crossed);
        await RefuseActivityIntoSignedPeriodsAsync(db, tree, table.File, history, activity, ct);
        // Asked of the versions as they stand, before a change dated back cuts them.
        var touched = await TouchedAsync(db, tree, history, written, context, ct);
        await KeepEarlierVersionsAsync(db, tree, table.File, history, changes, ct);
        using var write = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.units.write");
        db.UnitAudits.AddRange(audits);
        await db.SaveChangesAsync(ct);
        await BulkInserter.InsertAsync(db, fresh, ct);
        if (fresh.Count > 0)
        {
            // The new units' ids are the database's (a bulk insert reads none back): those above the highest stored, as
            // the structure's turn (SignOffTurns) lets no other write add units meanwhile.
            var ids = await db.Units.AsNoTracking().Where(u => u.Id > lastStoredId).Select(u => u.Id).ToListAsync(ct);
            await BulkInserter.InsertAsync(db, ids.Select(id => new UnitAudit
            {
                UnitId = id, Field = UnitAudit.Created, ChangedBy = context.StoredBy, ChangedAt = context.Now, Source = table.File,
            }), ct);
        }

        await transaction.CommitAsync(ct);
        return new ImportSummary(ImportKind.Units, table.File, rows.Count, inserted, updated, unchanged)
        {
            TouchedScopes = touched,
            Notes = [.. kept.Describe("blank cells kept the stored value", $"write {RowReader.Clear} to empty a headcount, an e-mail or a date"),
                .. emptied.Describe($"emptied with {RowReader.Clear}", null)],
        };
    }

    /// <summary>An optional cell of a row: a blank one keeps, for a stored unit, what is stored; <see cref="RowReader.Clear"/> empties it.</summary>
    [Flags]
    private enum Optional
    {
        None = 0,
        Union = 1,
        Headcount = 2,
        Email = 4,
        From = 8,
        To = 16,
    }

    private static readonly (int Column, Optional Cell)[] OptionalCells =
        [(Union, Optional.Union), (Headcount, Optional.Headcount), (Email, Optional.Email), (From, Optional.From), (To, Optional.To)];

    /// <summary>
    /// Fills the blank cells of a stored unit's row with what is stored: a file that leaves a column empty (an export of
    /// an older day, a list without e-mails) takes nothing away; a blank trade union is not "no union", which would take
    /// the enterprise out of the union populations from today, and a blank active_to does not reopen a closed unit.
    /// </summary>
    private static void KeepStored(Unit unit, Unit stored, Optional blank, OptionalCounts kept)
    {
        if ((blank & Optional.Union) != 0)
            unit.HasTradeUnion = stored.HasTradeUnion;
        if ((blank & Optional.Headcount) != 0)
            unit.Headcount = stored.Headcount;
        if ((blank & Optional.Email) != 0)
            unit.ContactEmail = stored.ContactEmail;
        if ((blank & Optional.From) != 0)
            unit.ActiveFrom = stored.ActiveFrom;
        if ((blank & Optional.To) != 0)
            unit.ActiveTo = stored.ActiveTo;
        kept.Count(stored, blank);
    }

    /// <summary>How many stored values of each optional column the rows kept (or emptied), for the import's summary.</summary>
    private sealed class OptionalCounts
    {
        private readonly int[] _counts = new int[OptionalCells.Length];

        /// <summary>Counts the cells among <paramref name="cells"/> for which the unit holds a value (a union: one it has, which a blank read as "no" took away).</summary>
        public void Count(Unit stored, Optional cells)
        {
            for (var i = 0; i < OptionalCells.Length; i++)
            {
                var cell = OptionalCells[i].Cell;
                if ((cells & cell) == 0)
                    continue;
                var holds = cell switch
                {
                    Optional.Headcount => stored.Headcount is not null,
                    Optional.Email => stored.ContactEmail is not null,
                    Optional.From => stored.ActiveFrom is not null,
                    Optional.To => stored.ActiveTo is not null,
                    _ => stored.HasTradeUnion,
                };
                if (holds)
                    _counts[i]++;
            }
        }

        /// <summary>"blank cells kept the stored value: has_trade_union of 2 units, headcount of 1 (…)", or nothing when none was counted.</summary>
        public IEnumerable<string> Describe(string what, string? hint)
        {
            var parts = OptionalCells.Select((c, i) => (Name: Schema[c.Column].Name, Count: _counts[i])).Where(p => p.Count > 0).ToList();
            if (parts.Count == 0)
                yield break;
            var list = string.Join(", ", parts.Select((p, i) => $"{p.Name} of {p.Count}{(i == 0 ? p.Count == 1 ? " unit" : " units" : "")}"));
            yield return hint is null ? $"{what}: {list}" : $"{what}: {list} ({hint})";
        }
    }

    /// <summary>
    /// A new unit whose kind the trade union places in a population (a non-state enterprise: "DN-CĐ", in the catalogue or a
    /// stored target) needs the union said: a blank is not "no", which would leave it out of every union target unasked.
    /// A stored unit's blank keeps what is stored (<see cref="KeepStored"/>).
    /// </summary>
    private static async Task RefuseNewUnitsWithoutUnionAsync(QcdcDbContext db, Table table, List<(int Number, Unit Unit)> blanks, CancellationToken ct)
    {
        if (blanks.Count == 0)
            return;
        var populations = IndicatorCatalogue.All.Select(i => i.Population).ToList();
        foreach (var text in await db.Targets.AsNoTracking().Select(t => t.Population).Distinct().ToListAsync(ct))
        {
            if (Population.TryParse(text, out var population, out _))
                populations.Add(population);
        }

        var decides = blanks.Where(b => populations.Any(p => p.Includes(b.Unit.Kind, true) != p.Includes(b.Unit.Kind, false))).ToList();
        if (decides.Count == 0)
            return;
        var codes = decides.Select(b => b.Unit.Code).ToList();
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(500))
            stored.UnionWith(await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Code)).Select(u => u.Code).ToListAsync(ct));
        foreach (var (number, unit) in decides.Where(b => !stored.Contains(b.Unit.Code)))
        {
            table.Problems.Add(number, "has_trade_union",
                $"has_trade_union is empty for the new unit {unit.Code}; a {unit.Kind} is counted in the targets of units with a trade union only if it has one: write có or không");
        }
    }

    public static UnitKind? ParseKind(string text) => Text.Fold(text).Replace(" ", "", StringComparison.Ordinal) switch
    {
        "commune" or "xa" => UnitKind.Commune,
        "stateagency" or "cq" => UnitKind.StateAgency,
        "publicserviceunit" or "sn" => UnitKind.PublicServiceUnit,
        "stateenterprise" or "dnnn" => UnitKind.StateEnterprise,
        "nonstateenterprise" or "dn" => UnitKind.NonStateEnterprise,
        "armedforces" or "ll" => UnitKind.ArmedForces,
        "village" or "th" => UnitKind.Village,
        "frontandmassorganisations" or "mt" or "mattran" => UnitKind.FrontAndMassOrganisations,
        "massmobilisationboard" or "dv" or "bandanvan" => UnitKind.MassMobilisationBoard,
        _ => null,
    };

    private static UnitKind? ParseKind(RowReader r)
    {
        var text = r.RequiredText(Kind);
        if (text is null)
            return null;
        var kind = ParseKind(text);
        if (kind is null)
            r.Problem(Kind, $"'{text}' is not a unit kind; write one of {string.Join(", ", Enum.GetNames<UnitKind>())} (or XA, CQ, SN, DNNN, DN, LL, TH, MT, DV)");
        return kind;
    }

    /// <summary>
    /// A sign-off locks which units its (area, period) counts, as it locks their values: a unit added, or whose
    /// active_from or active_to a row changes, so that it would be active on a signed-off period's last day where it was
    /// not (or the other way), in the signed area on that day, is refused, the whole file with it. A unit closed on a day
    /// back before a signed half-year would have its finding "resolved"; one added as active since then would be flagged,
    /// and e-mailed, for a period whose values it may no longer send.
    /// </summary>
    private static async Task RefuseActivityIntoSignedPeriodsAsync(QcdcDbContext db, AreaTree tree, string file, UnitHistory history,
        List<(int Row, Unit? Before, Unit After)> activity, CancellationToken ct)
    {
        if (activity.Count == 0)
            return;
        var signed = await db.Periods.AsNoTracking().Where(p => db.SignOffs.Any(s => s.PeriodId == p.Id)).OrderBy(p => p.End).ToListAsync(ct);
        if (signed.Count == 0)
            return;
        var locks = await SignOffLocks.InForceAsync(db, tree, signed, ct);
        var problems = new List<ImportProblem>();
        foreach (var (row, before, after) in activity)
        {
            foreach (var period in signed)
            {
                var (was, @is) = (before?.ActiveAt(period) == true, after.ActiveAt(period));
                // A year also holds the first half's flows of a unit closed in its second half, where the unit sat then: closing it there moves them.
                var (carriedWas, carriedIs) = (before is null ? null : locks.CarriedArea(before.Id, before.AreaId, before.ActiveFrom, before.ActiveTo, period),
                    locks.CarriedArea(before?.Id ?? 0, before?.AreaId ?? after.AreaId, after.ActiveFrom, after.ActiveTo, period));
                if (was == @is && carriedWas == carriedIs)
                    continue;
                var area = before is null ? after.AreaId : history.AreaOn(before.Id, before.AreaId, period.End);
                var carriedLock = carriedWas == carriedIs ? null : (carriedWas is { } from ? locks.Locking(from, period) : null) ?? (carriedIs is { } to ? locks.Locking(to, period) : null);
                if (((was == @is ? null : locks.Locking(area, period)) ?? carriedLock) is not { } signOff)
                    continue;
                // Only its first half's flows move (closed in the second half either way, or no longer): told as the half it joins or leaves.
                var asked = was == @is ? locks.FirstHalf(period)! : period;
                (was, @is) = (before?.ActiveAt(asked) == true, after.ActiveAt(asked));
                var column = before is null || before.ActiveFrom != after.ActiveFrom ? "active_from" : "active_to";
                problems.Add(new ImportProblem(file, row, column,
                    $"unit {after.Code} would {(@is ? "join" : "leave")} the units of {asked.Code} (active on its last day, {asked.End:yyyy-MM-dd}: "
                    + $"{(was ? "yes" : "no")} -> {(@is ? "yes" : "no")}), so it would change that period's figures: {locks.Refusal([signOff], period, after.Code)}; "
                    + $"or, if the unit opened or closed later, write that day (after {asked.End:yyyy-MM-dd})"));
                break;
            }
        }

        if (problems.Count > 0)
            throw new ImportRejectedException(file, problems);
    }

    /// <summary>
    /// The scopes of the ended periods (those stored: holding values or evaluated) whose units the rows change: a unit
    /// opened or closed, moved, of another kind or union on a period's last day (a closing dated back into 2020S2 left its
    /// four findings open, and the overview waiting for an evaluation that never came). A unit as it was reads its kept
    /// versions; as it is, the same before its change of place takes effect and its row from that day.
    /// </summary>
    private static async Task<List<(string Period, string Scope)>> TouchedAsync(QcdcDbContext db, AreaTree tree, UnitHistory history,
        List<(Unit? Before, Unit After, DateOnly? PlaceFrom)> written, ImportContext context, CancellationToken ct)
    {
        if (written.Count == 0)
            return [];
        var today = VietnamTime.Today(context.Clock);
        var ended = await db.Periods.AsNoTracking().Where(p => p.End < today).ToListAsync(ct);
        if (ended.Count == 0)
            return [];
        return TouchedScopes.OfUnits(tree, ended, written.Select(w =>
        {
            // Where the unit sat and what it was on a day, before the import: its version then, or its row.
            TouchedScopes.Standing Stored(Unit unit, bool active, DateOnly day) => history.On(unit.Id, day) is { } then
                ? TouchedScopes.Standing.Of(active, then.AreaId, then.Kind, then.HasTradeUnion)
                : TouchedScopes.Standing.Of(active, unit.AreaId, unit.Kind, unit.HasTradeUnion);
            TouchedScopes.Standing Before(DateOnly day) =>
                w.Before is { } before ? Stored(before, Dates.Contains(before.ActiveFrom, before.ActiveTo, day), day) : TouchedScopes.Standing.Inactive;
            TouchedScopes.Standing After(DateOnly day)
            {
                var active = Dates.Contains(w.After.ActiveFrom, w.After.ActiveTo, day);
                return w.Before is null || (w.PlaceFrom is { } from && day >= from)
                    ? TouchedScopes.Standing.Of(active, w.After.AreaId, w.After.Kind, w.After.HasTradeUnion)
                    : Stored(w.Before, active, day);
            }

            return ((Func<DateOnly, TouchedScopes.Standing>)Before, (Func<DateOnly, TouchedScopes.Standing>)After);
        }));
    }

    /// <summary>A stored unit whose area, kind or trade union a row changes, from the day the change takes effect.</summary>
    private sealed record UnitChange(int Row, Unit Before, Unit After, DateOnly From);

    /// <summary>
    /// Keeps, for each change, the version it replaces as held until the day before the change (earlier versions from
    /// that day on are cut or dropped: a change dated back corrects them), after refusing the file whole if a change
    /// would alter a signed-off period: one whose last day is on or after the change, of an area the unit sat in on
    /// that day before the change or sits in after it (<see cref="SignOffLocks"/>, as a value of that period is refused).
    /// </summary>
    private static async Task KeepEarlierVersionsAsync(QcdcDbContext db, AreaTree tree, string file, UnitHistory history, List<UnitChange> changes,
        CancellationToken ct)
    {
        if (changes.Count == 0)
            return;
        var earliest = changes.Min(c => c.From);
        var signed = await db.Periods.AsNoTracking().Where(p => p.End >= earliest && db.SignOffs.Any(s => s.PeriodId == p.Id)).OrderBy(p => p.End).ToListAsync(ct);
        if (signed.Count > 0)
        {
            var locks = await SignOffLocks.InForceAsync(db, tree, signed, ct);
            var problems = new List<ImportProblem>();
            foreach (var change in changes)
            {
                foreach (var period in signed.Where(p => p.End >= change.From))
                {
                    var version = history.On(change.Before.Id, period.End);
                    // A year also holds the first half's flows of a unit closed in its second half, where it sat then: a change dated back to then moves them.
                    var carried = locks.FirstHalf(period) is { } first && change.From <= first.End
                                  && locks.CarriedArea(change.Before.Id, change.Before.AreaId, change.Before.ActiveFrom, change.Before.ActiveTo, period) is { } carriedFrom
                                  && locks.CarriedArea(0, change.After.AreaId, change.After.ActiveFrom, change.After.ActiveTo, period) is var carriedTo && carriedTo != carriedFrom
                        ? locks.Locking(carriedFrom, period) ?? (carriedTo is { } to ? locks.Locking(to, period) : null)
                        : null;
                    if (!Differs(version, change.Before, change.After) && carried is null)
                        continue;
                    var then = version is null ? change.Before : new Unit { Code = change.After.Code, Name = "", AreaId = version.AreaId, Kind = version.Kind, HasTradeUnion = version.HasTradeUnion };
                    var before = then.AreaId;
                    if ((locks.Locking(before, period) ?? locks.Locking(change.After.AreaId, period) ?? carried) is not { } signOff)
                        continue;
                    problems.Add(new ImportProblem(file, change.Row, "changed_on",
                        $"the change of unit {change.After.Code} ({Describe(tree, then, change.After)}) takes effect from {change.From:yyyy-MM-dd}, on or before the last day of "
                        + $"{period.Code} ({period.End:yyyy-MM-dd}), so it would change that period's figures: {locks.Refusal([signOff], period, change.After.Code)}; "
                        + $"or, if the change came later, write the day it took effect in changed_on (after {period.End:yyyy-MM-dd})"));
                    break;
                }
            }

            if (problems.Count > 0)
                throw new ImportRejectedException(file, problems);
        }

        foreach (var change in changes)
        {
            var versions = history.Of(change.Before.Id);
            var currentFrom = versions.Count == 0 ? DateOnly.MinValue : versions[^1].Until.AddDays(1);
            for (var i = 0; i < versions.Count; i++)
            {
                var start = i == 0 ? DateOnly.MinValue : versions[i - 1].Until.AddDays(1);
                if (versions[i].Until < change.From)
                    continue;
                if (start < change.From)
                    versions[i].Until = change.From.AddDays(-1);
                else
                    db.UnitVersions.Remove(versions[i]);
            }

            if (currentFrom < change.From)
            {
                db.UnitVersions.Add(new UnitVersion
                {
                    UnitId = change.Before.Id, AreaId = change.Before.AreaId, Kind = change.Before.Kind, HasTradeUnion = change.Before.HasTradeUnion,
                    Until = change.From.AddDays(-1),
                });
            }
        }
    }

    /// <summary>
    /// The audit rows of a stored unit a row changes: one a field whose value differs, as the file writes it; a change of
    /// its area, kind or union dated from the day it takes effect. A row that only dates back the unit's current place
    /// (<c>changed_on</c> before its version began) is recorded as that, <c>changed_on</c> with the day.
    /// </summary>
    private static IEnumerable<UnitAudit> Audits(AreaTree tree, Unit before, Unit after, DateOnly? placeFrom, ImportContext context, string file)
    {
        static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)!;
        static string Flag(bool value) => value ? "true" : "false";
        var fields = new List<(string Field, string? Old, string? New, bool Dated)>();
        void Compare(string field, string? old, string? @new, bool dated = false)
        {
            if (!string.Equals(old, @new, StringComparison.Ordinal))
                fields.Add((field, old, @new, dated));
        }

        Compare("name", before.Name, after.Name);
        Compare("kind", before.Kind.ToString(), after.Kind.ToString(), dated: true);
        Compare("area_code", tree[before.AreaId].Code, tree[after.AreaId].Code, dated: true);
        Compare("has_trade_union", Flag(before.HasTradeUnion), Flag(after.HasTradeUnion), dated: true);
        Compare("headcount", before.Headcount?.ToString(CultureInfo.InvariantCulture), after.Headcount?.ToString(CultureInfo.InvariantCulture));
        Compare("contact_email", before.ContactEmail, after.ContactEmail);
        Compare("active_from", Day(before.ActiveFrom), Day(after.ActiveFrom));
        Compare("active_to", Day(before.ActiveTo), Day(after.ActiveTo));
        if (placeFrom is { } from && !fields.Any(f => f.Dated))
            fields.Add(("changed_on", null, Day(from), true));
        return fields.Select(f => new UnitAudit
        {
            UnitId = before.Id, Field = f.Field, OldValue = f.Old, NewValue = f.New, EffectiveFrom = f.Dated ? placeFrom : null,
            ChangedBy = context.StoredBy, ChangedAt = context.Now, Source = file,
        });
    }

    /// <summary>What a change changes of the unit as it was on a signed period's last day: its area, kind, union.</summary>
    private static string Describe(AreaTree tree, Unit a, Unit b)
    {
        var parts = new List<string>();
        if (a.AreaId != b.AreaId)
            parts.Add($"area {tree[a.AreaId].Code} -> {tree[b.AreaId].Code}");
        if (a.Kind != b.Kind)
            parts.Add($"kind {a.Kind} -> {b.Kind}");
        if (a.HasTradeUnion != b.HasTradeUnion)
            parts.Add($"trade union {(a.HasTradeUnion ? "yes" : "no")} -> {(b.HasTradeUnion ? "yes" : "no")}");
        return string.Join(", ", parts);
    }

    /// <summary>Whether the unit as it was on a day (its version then, or its row as stored when none) differs from the row imported in what decides where it sits.</summary>
    private static bool Differs(UnitVersion? then, Unit stored, Unit imported) =>
        then is null ? !SamePlace(stored, imported) : then.AreaId != imported.AreaId || then.Kind != imported.Kind || then.HasTradeUnion != imported.HasTradeUnion;

    /// <summary>Whether the attributes that decide where a unit sits and which populations it is in are the same.</summary>
    private static bool SamePlace(Unit a, Unit b) => a.Kind == b.Kind && a.AreaId == b.AreaId && a.HasTradeUnion == b.HasTradeUnion;

    private static bool Same(Unit a, Unit b) =>
        a.Name == b.Name && a.Kind == b.Kind && a.AreaId == b.AreaId && a.HasTradeUnion == b.HasTradeUnion && a.Headcount == b.Headcount
        && a.ContactEmail == b.ContactEmail && a.ActiveFrom == b.ActiveFrom && a.ActiveTo == b.ActiveTo;
}

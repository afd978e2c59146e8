using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// <c>code,name,level,parent_code,valid_from,valid_to</c>: one row per area and parent link, so a commune that moved
/// from its district to the province on 1/7/2025 has two rows. The rows of an area replace its stored links.
/// </summary>
public static class AreaImporter
{
    public static readonly IReadOnlyList<Column> Schema =
    [
        new("code"), new("name"), new("level"), new("parent_code"), new("valid_from"), new("valid_to"),
    ];

    private const int Code = 0, Name = 1, Level = 2, Parent = 3, From = 4, To = 5;

    private sealed record Row(int Number, string Code, string Name, AreaLevel Level, string? Parent, DateOnly? From, DateOnly? To);

    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, Table table, ImportContext context, CancellationToken ct = default)
    {
        var problems = table.Problems;
        var rows = new List<Row>();
        foreach (var tableRow in table.Rows)
        {
            var r = new RowReader(table, tableRow, problems);
            var code = r.Code(Code);
            var name = r.Name(Name);
            var level = ParseLevel(r);
            var parent = r.Code(Parent, required: false);
            var from = r.Date(From);
            var to = r.Date(To);
            if (from is not null && to is not null && to < from)
                r.Problem(To, $"valid_to {to:yyyy-MM-dd} is before valid_from {from:yyyy-MM-dd}");
            if (code is not null && name is not null && level is not null)
                rows.Add(new Row(r.Number, code, name, level.Value, parent, from, to));
        }

        problems.ThrowIfAny();

        var stored = await db.Areas.Include(a => a.ParentLinks).ToDictionaryAsync(a => a.Code, ct);
        var storedById = stored.Values.ToDictionary(a => a.Id);
        var byCode = rows.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.OrderBy(r => r.From ?? DateOnly.MinValue).ToList());

        // The tree after the import: the file's rows for its areas, the stored links for the others.
        var links = new Dictionary<string, List<(string? Parent, DateOnly? From, DateOnly? To)>>();
        var levels = new Dictionary<string, AreaLevel>();
        foreach (var area in stored.Values)
        {
            levels[area.Code] = area.Level;
            links[area.Code] = area.ParentLinks.Select(l => (l.ParentId is { } p ? storedById[p].Code : null, l.ValidFrom, l.ValidTo)).ToList();
        }

        foreach (var (code, group) in byCode)
        {
            levels[code] = group[0].Level;
            links[code] = group.Select(r => (r.Parent, r.From, r.To)).ToList();
            CheckConsistency(group, problems);
        }

        var restricted = context.RestrictToAreaId is { } rootId && storedById.TryGetValue(rootId, out var rootArea) ? rootArea.Code : null;
        if (context.RestrictToAreaId is not null && restricted is null)
            throw new InvalidOperationException($"the import is restricted to area #{context.RestrictToAreaId}, which does not exist");
        // Restricted, a parent outside the administrator's area reads as unknown, and nothing more is said of it.
        var inside = restricted is null ? null : ImportScope.WhollyInside(restricted, links.ToDictionary(kv => kv.Key, kv => kv.Value.Select(l => l.Parent).ToList()));
        foreach (var row in rows)
            CheckParent(row, levels, links, problems, inside is null ? null : code => byCode.ContainsKey(code) || inside.Contains(code));
        CheckCycles(byCode, links, problems);
        if (restricted is not null)
            CheckInside(restricted, byCode, stored, storedById, problems);
        problems.ThrowIfAny();

        int inserted = 0, updated = 0, unchanged = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The sign-offs are read in this transaction, the structure held against a sign-off until it commits (SignOffTurns):
        // one that commits first is read and refuses the file, one that comes later waits for it.
        await SignOffTurns.ForStructureAsync(db, ct);
        var treeBefore = await db.LoadAreaTreeAsync(ct);
        // Who changed which field of an area, when, from what to what: one row a field changed, in the import's transaction.
        var audits = new List<(Area Area, AreaAudit Audit)>();
        foreach (var (code, group) in byCode)
        {
            var (from, to) = Extent(group);
            if (!stored.TryGetValue(code, out var area))
            {
                area = new Area { Code = code, Name = group[0].Name, Level = group[0].Level };
                db.Areas.Add(area);
                stored[code] = area;
                audits.Add((area, Audit(AreaAudit.Created, null, AreaAuditTrail.Links(group.Select(r => (r.Parent, r.From, r.To))), from, context, table.File)));
                inserted++;
            }
            else if (area.Name == group[0].Name && area.Level == group[0].Level && area.ValidFrom == from && area.ValidTo == to
                     && SameLinks(area, group, storedById))
            {
                unchanged++;
                continue;
            }
            else
            {
                audits.AddRange(Audits(area, group, storedById, context, table.File).Select(a => (area, a)));
                updated++;
            }

            area.Name = group[0].Name;
            area.Level = group[0].Level;
            area.ValidFrom = from;
            area.ValidTo = to;
        }

        // Areas first, so that new parents have ids for the links.
        await db.SaveChangesAsync(ct);
        foreach (var (code, group) in byCode)
        {
            var area = stored[code];
            if (SameLinks(area, group, stored.Values.ToDictionary(a => a.Id)))
                continue;
            db.AreaLinks.RemoveRange(area.ParentLinks);
            area.ParentLinks = group.Select(r => new AreaLink
            {
                AreaId = area.Id,
                ParentId = r.Parent is null ? null : stored[r.Parent].Id,
                ValidFrom = r.From,
                ValidTo = r.To,
            }).ToList();
        }

        foreach (var (area, audit) in audits)
            audit.AreaId = area.Id;
        db.AreaAudits.AddRange(audits.Select(a => a.Audit));
        await db.SaveChangesAsync(ct);
        await db.AreasChangedAsync(ct);
        // A signed-off (area, period) keeps its units where they sat: the tree as written, read in this transaction, is checked before it commits.
        await SignedAreas.RefuseChangesAsync(db, table.File, treeBefore, ct);
        // The ended periods whose units now count elsewhere (an area re-parented, opened, closed on their last day), in the province before and after.
        var touched = await TouchedScopes.OfTreeAsync(db, treeBefore, (await AreaTreeLoader.ReadAsync(db, ct)).Tree, context, ct);
        await transaction.CommitAsync(ct);
        return new ImportSummary(ImportKind.Areas, table.File, rows.Count, inserted, updated, unchanged) { TouchedScopes = touched };
    }

    /// <summary>
    /// The audit rows of a stored area a file's rows change: one a field whose value differs, as the file writes it; its
    /// links (<see cref="AreaAudit.Links"/>) and dates dated from the first day the area sits elsewhere or exists otherwise.
    /// </summary>
    private static IEnumerable<AreaAudit> Audits(Area area, List<Row> group, Dictionary<int, Area> storedById, ImportContext context, string file)
    {
        var before = area.ParentLinks.Select(l => (l.ParentId is { } p ? storedById[p].Code : null, l.ValidFrom, l.ValidTo)).ToList();
        var after = group.Select(r => (r.Parent, r.From, r.To)).ToList();
        var (from, to) = Extent(group);
        if (area.Name != group[0].Name)
            yield return Audit("name", area.Name, group[0].Name, null, context, file);
        if (area.Level != group[0].Level)
            yield return Audit("level", area.Level.ToString(), group[0].Level.ToString(), null, context, file);
        // The first day it exists otherwise: the earlier of the two first days (none: from the start), the day after the earlier last day.
        if (area.ValidFrom != from)
            yield return Audit("valid_from", AreaAuditTrail.Day(area.ValidFrom), AreaAuditTrail.Day(from), area.ValidFrom is null || from is null ? null : Min(area.ValidFrom.Value, from.Value), context, file);
        if (area.ValidTo != to)
            yield return Audit("valid_to", AreaAuditTrail.Day(area.ValidTo), AreaAuditTrail.Day(to), Min(area.ValidTo ?? DateOnly.MaxValue, to ?? DateOnly.MaxValue).AddDays(1), context, file);
        if (!SameLinks(area, group, storedById))
            yield return Audit(AreaAudit.Links, AreaAuditTrail.Links(before), AreaAuditTrail.Links(after), AreaAuditTrail.FirstDayMoved(before, after), context, file);

        static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    }

    private static AreaAudit Audit(string field, string? old, string? @new, DateOnly? from, ImportContext context, string file) => new()
    {
        Field = field, OldValue = old, NewValue = @new, EffectiveFrom = from, ChangedBy = context.StoredBy, ChangedAt = context.Now, Source = file,
    };

    private static AreaLevel? ParseLevel(RowReader r)
    {
        var text = r.RequiredText(Level);
        if (text is null)
            return null;
        AreaLevel? level = Text.Fold(text) switch
        {
            "province" or "tinh" or "thanh pho truc thuoc trung uong" => AreaLevel.Province,
            "district" or "huyen" or "quan" or "thi xa" or "thanh pho thuoc tinh" => AreaLevel.District,
            "commune" or "xa" or "phuong" or "thi tran" or "dac khu" => AreaLevel.Commune,
            _ => null,
        };
        if (level is null)
            r.Problem(Level, $"'{text}' is not a level; write Province, District or Commune");
        return level;
    }

    private static void CheckConsistency(List<Row> group, ProblemList problems)
    {
        var first = group[0];
        foreach (var row in group.Skip(1))
        {
            if (row.Name != first.Name || row.Level != first.Level)
                problems.Add(row.Number, row.Name != first.Name ? "name" : "level",
                    $"area {row.Code} is given another {(row.Name != first.Name ? "name" : "level")} than on row {first.Number}; an area has one name and level");
        }

        for (var i = 0; i < group.Count; i++)
        {
            for (var j = i + 1; j < group.Count; j++)
            {
                var (a, b) = (group[i], group[j]);
                if (a.Parent == b.Parent && a.From == b.From && a.To == b.To)
                    problems.Add(b.Number, "code", $"duplicate row: the same area and parent as row {a.Number}; remove one");
                else if (Dates.Overlaps(a.From, a.To, b.From ?? DateOnly.MinValue, b.To ?? DateOnly.MaxValue))
                    problems.Add(b.Number, "valid_from", $"area {b.Code} would have two parents at once (this row and row {a.Number} overlap); make valid_to of one end before valid_from of the other");
            }
        }
    }

    /// <summary>
    /// An administrator bound to an area changes only areas that lie wholly inside it, before the import (the links the
    /// file replaces) and after it (the links it writes), at every date: a link to a parent outside, even for a day in
    /// the past, would hand that area's units to every key of the root. An area outside answers as an unknown one.
    /// </summary>
    private static void CheckInside(string root, Dictionary<string, List<Row>> byCode, Dictionary<string, Area> stored, Dictionary<int, Area> storedById,
        ProblemList problems)
    {
        var before = ImportScope.WhollyInside(root, stored.Values.ToDictionary(a => a.Code,
            a => a.ParentLinks.Select(l => l.ParentId is { } p ? storedById[p].Code : null).ToList()));
        foreach (var (code, group) in byCode)
        {
            if (code == root)
            {
                // The administrator's own area (its province) hangs from nothing inside it: closing or renaming it would
                // unbind its sets and "resolve" its findings. Its row may stand in the file only as stored.
                var own = stored[code];
                var (from, to) = Extent(group);
                if (own.Name != group[0].Name || own.Level != group[0].Level || own.ValidFrom != from || own.ValidTo != to || !SameLinks(own, group, storedById))
                    problems.Add(group[0].Number, "code", $"area {root} is your own area: only a national administrator changes its name, level, dates or links; "
                                                          + "leave its row out of the file, or write it as stored");
                continue;
            }

            if (stored.ContainsKey(code) && !before.Contains(code))
            {
                problems.Add(group[0].Number, "code", $"area {code} is outside your area {root} (or its code is taken outside it); you may change only areas that lie wholly "
                                                      + $"inside {root} at every date, and give a new area a code of its own");
                continue;
            }

            if (group[0].Level == AreaLevel.Province)
                problems.Add(group[0].Number, "level", $"only a national administrator creates a province; you may change areas inside {root}");
        }
    }

    private static string UnknownOrOutside(string code) =>
        $"unknown area {code}, or outside your area; import it first or add a row for it in this file";

    private static void CheckParent(Row row, Dictionary<string, AreaLevel> levels, Dictionary<string, List<(string? Parent, DateOnly? From, DateOnly? To)>> links, ProblemList problems,
        Func<string, bool>? visible)
    {
        if (row.Parent is null)
        {
            if (row.Level != AreaLevel.Province)
                problems.Add(row.Number, "parent_code", $"a {row.Level} needs a parent_code (its district or province)");
            return;
        }

        if (row.Level == AreaLevel.Province)
        {
            problems.Add(row.Number, "parent_code", "a Province has no parent; leave parent_code empty");
            return;
        }

        if (!levels.TryGetValue(row.Parent, out var parentLevel) || (visible is not null && !visible(row.Parent)))
        {
            problems.Add(row.Number, "parent_code", visible is not null ? UnknownOrOutside(row.Parent) : $"unknown area {row.Parent}; import it first or add a row for it in this file");
            return;
        }

        if (row.Parent == row.Code)
        {
            problems.Add(row.Number, "parent_code", $"area {row.Code} cannot be its own parent");
            return;
        }

        if (parentLevel >= row.Level)
            problems.Add(row.Number, "parent_code", $"{row.Parent} is a {parentLevel} and cannot hold a {row.Level}; a commune sits in a district or province, a district in a province");

        var (parentFrom, parentTo) = Extent(links[row.Parent]);
        if (!Covers(parentFrom, parentTo, row.From, row.To))
            problems.Add(row.Number, "valid_from",
                $"parent {row.Parent} exists only {Describe(parentFrom, parentTo)}, not over this link ({Describe(row.From, row.To)}); fix the dates");
    }

    private static void CheckCycles(Dictionary<string, List<Row>> byCode, Dictionary<string, List<(string? Parent, DateOnly? From, DateOnly? To)>> links, ProblemList problems)
    {
        var reported = new HashSet<string>();
        foreach (var (code, group) in byCode)
        {
            var path = new List<string> { code };
            var stack = new Stack<(string Code, int Depth)>();
            stack.Push((code, 0));
            var visited = new HashSet<string>();
            while (stack.Count > 0)
            {
                var (current, depth) = stack.Pop();
                path.RemoveRange(depth, path.Count - depth);
                path.Add(current);
                if (!links.TryGetValue(current, out var parents))
                    continue;
                foreach (var parent in parents.Select(p => p.Parent).OfType<string>().Distinct())
                {
                    if (parent == code && path.Count > 1 && reported.Add(code))
                    {
                        problems.Add(group[0].Number, "parent_code", $"parent cycle: {string.Join(" → ", path.Append(code))}; an area cannot be inside itself");
                    }
                    else if (visited.Add(parent))
                    {
                        stack.Push((parent, depth + 1));
                    }
                }
            }
        }
    }

    private static (DateOnly? From, DateOnly? To) Extent(IEnumerable<Row> rows) => Extent(rows.Select(r => (r.Parent, r.From, r.To)));

    private static (DateOnly? From, DateOnly? To) Extent(IEnumerable<(string? Parent, DateOnly? From, DateOnly? To)> links)
    {
        var list = links.ToList();
        if (list.Count == 0)
            return (null, null);
        var from = list.Any(l => l.From is null) ? null : list.Min(l => l.From);
        var to = list.Any(l => l.To is null) ? null : list.Max(l => l.To);
        return (from, to);
    }

    private static bool Covers(DateOnly? outerFrom, DateOnly? outerTo, DateOnly? from, DateOnly? to) =>
        (outerFrom is null || (from is not null && from >= outerFrom)) && (outerTo is null || (to is not null && to <= outerTo));

    private static string Describe(DateOnly? from, DateOnly? to) =>
        $"from {from?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "the start"} to {to?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "now"}";

    private static bool SameLinks(Area area, List<Row> group, Dictionary<int, Area> byId) =>
        area.ParentLinks.Count == group.Count
        && area.ParentLinks.OrderBy(l => l.ValidFrom ?? DateOnly.MinValue)
            .Zip(group)
            .All(p => p.First.ValidFrom == p.Second.From && p.First.ValidTo == p.Second.To
                      && (p.First.ParentId is { } id ? byId[id].Code : null) == p.Second.Parent);
}

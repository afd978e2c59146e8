using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// <c>predecessor_code,successor_code,effective_from</c>: an area merged into another from a date (the 2025
/// commune mergers). Units of the predecessor roll up through the successor for periods after the merger.
/// </summary>
public static class LineageImporter
{
    public static readonly IReadOnlyList<Column> Schema = [new("predecessor_code"), new("successor_code"), new("effective_from")];

    public static async Task<ImportSummary> ImportAsync(QcdcDbContext db, Table table, ImportContext context, CancellationToken ct = default)
    {
        var problems = table.Problems;
        var areas = await db.Areas.AsNoTracking().ToDictionaryAsync(a => a.Code, ct);
        if (context.RestrictToAreaId is { } root)
        {
            // An administrator bound to an area merges only areas that lie wholly inside it: both ends of every row. The
            // others read as unknown, so that a refusal tells nothing of another province.
            var tree = await db.LoadAreaTreeAsync(ct);
            var inside = ImportScope.WhollyInside(tree[root].Code,
                tree.Areas.ToDictionary(a => a.Code, a => tree.LinksOf(a.Id).Select(l => l.ParentId is { } p ? tree[p].Code : null).ToList()));
            areas = areas.Where(kv => inside.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        var rows = new List<AreaLineage>();
        var seen = new Dictionary<(int, int), int>();
        foreach (var tableRow in table.Rows)
        {
            var r = new RowReader(table, tableRow, problems);
            var predecessor = Known(r, 0, areas, context.RestrictToAreaId is not null);
            var successor = Known(r, 1, areas, context.RestrictToAreaId is not null);
            var from = r.Date(2);
            if (from is null && r.IsBlank(2))
                r.Problem(2, "effective_from is empty; write the date the merger took effect");
            if (predecessor is null || successor is null || from is null)
                continue;
            if (predecessor.Id == context.RestrictToAreaId)
                r.Problem(0, $"area {predecessor.Code} is your own area: only a national administrator merges it into another");
            else if (predecessor.Id == successor.Id)
                r.Problem(1, "an area cannot succeed itself");
            else if (!seen.TryAdd((predecessor.Id, successor.Id), r.Number))
                r.Problem(0, $"duplicate row: the same merger as row {seen[(predecessor.Id, successor.Id)]}");
            else if (!successor.ExistsOn(from.Value))
                r.Problem(1, $"successor {successor.Code} does not exist on {from:yyyy-MM-dd}");
            else
                rows.Add(new AreaLineage { PredecessorId = predecessor.Id, SuccessorId = successor.Id, EffectiveFrom = from.Value });
        }

        problems.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The sign-offs are read in this transaction, the structure held against a sign-off until it commits (SignOffTurns):
        // one that commits first is read and refuses the file, one that comes later waits for it.
        await SignOffTurns.ForStructureAsync(db, ct);
        var existing = await db.AreaLineages.ToListAsync(ct);
        var treeBefore = await db.LoadAreaTreeAsync(ct);
        int inserted = 0, updated = 0, unchanged = 0;
        var codes = areas.Values.ToDictionary(a => a.Id, a => a.Code);
        foreach (var row in rows)
        {
            var match = existing.FirstOrDefault(e => e.PredecessorId == row.PredecessorId && e.SuccessorId == row.SuccessorId);
            if (match is null)
            {
                db.AreaLineages.Add(row);
                db.AreaAudits.AddRange(Audits(row, null, codes, context, table.File));
                inserted++;
            }
            else if (match.EffectiveFrom != row.EffectiveFrom)
            {
                db.AreaAudits.AddRange(Audits(row, match.EffectiveFrom, codes, context, table.File));
                match.EffectiveFrom = row.EffectiveFrom;
                updated++;
            }
            else
            {
                unchanged++;
            }
        }

        await db.SaveChangesAsync(ct);
        await db.AreasChangedAsync(ct);
        // A signed-off (area, period) keeps its units where they sat: the tree as written, read in this transaction, is checked before it commits.
        await SignedAreas.RefuseChangesAsync(db, table.File, treeBefore, ct);
        // The ended periods whose units now roll up elsewhere (a merger on or before their last day), in the province before and after.
        var touched = await TouchedScopes.OfTreeAsync(db, treeBefore, (await AreaTreeLoader.ReadAsync(db, ct)).Tree, context, ct);
        await transaction.CommitAsync(ct);
        return new ImportSummary(ImportKind.Lineage, table.File, rows.Count, inserted, updated, unchanged) { TouchedScopes = touched };
    }

    /// <summary>
    /// The audit rows of a merger written or re-dated: on the predecessor its successor, on the successor its predecessor,
    /// each as "CODE yyyy-MM-dd" (the other end and <c>effective_from</c>), from the first day the roll-up differs.
    /// </summary>
    private static IEnumerable<AreaAudit> Audits(AreaLineage row, DateOnly? before, Dictionary<int, string> codes, ImportContext context, string file)
    {
        var from = before is { } old && old < row.EffectiveFrom ? old : row.EffectiveFrom;
        AreaAudit Audit(int areaId, string field, int otherId) => new()
        {
            AreaId = areaId, Field = field, OldValue = before is null ? null : $"{codes[otherId]} {AreaAuditTrail.Day(before)}",
            NewValue = $"{codes[otherId]} {AreaAuditTrail.Day(row.EffectiveFrom)}", EffectiveFrom = from, ChangedBy = context.StoredBy, ChangedAt = context.Now, Source = file,
        };
        yield return Audit(row.PredecessorId, AreaAudit.Successor, row.SuccessorId);
        yield return Audit(row.SuccessorId, AreaAudit.Predecessor, row.PredecessorId);
    }

    private static Area? Known(RowReader r, int column, Dictionary<string, Area> areas, bool restricted)
    {
        var code = r.Code(column);
        if (code is null)
            return null;
        if (areas.TryGetValue(code, out var area))
            return area;
        r.Problem(column, restricted ? $"unknown area {code}, or outside your area; import the areas first" : $"unknown area {code}; import the areas first");
        return null;
    }
}

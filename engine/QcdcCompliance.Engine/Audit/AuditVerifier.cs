using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Audit;

public enum ChainRecordKind
{
    Run,
    Action,
    Head,
    SignOff,
}

/// <summary>The first link that does not match: which record, and what is wrong with it.</summary>
public sealed record ChainBreak(long Sequence, ChainRecordKind Kind, long? Id, string Problem, string? Expected, string? Stored);

/// <summary>The outcome of recomputing links <see cref="From"/> to <see cref="To"/> of the chain.</summary>
public sealed record ChainVerification(long From, long To, int Checked, long HeadSequence, ChainBreak? FirstBreak)
{
    public bool Ok => FirstBreak is null;
}

/// <summary>
/// Recomputes the audit chain: for each link in <c>ChainSequence</c> order, a completed run (with the findings and area
/// results it recorded, and the rows it superseded) or a finding action, checks that it names the previous link's hash,
/// that no row's supersession involving the run breaks the rule runs follow (<see cref="Supersessions"/>), and that its own
/// hash is what its stored content gives; then that the head points at the last link. Stops at the first record that does not
/// match and names it. A part of the chain is checked from the stored hash of the link before it.
/// </summary>
public sealed class AuditVerifier(IDbContextFactory<QcdcDbContext> contexts)
{
    /// <summary>The chain links recorded in a time range (UTC, <paramref name="to"/> exclusive), as a sequence range; null when none.</summary>
    public async Task<(long From, long To)?> SequencesBetweenAsync(DateTime? from, DateTime? to, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var runs = db.EvaluationRuns.AsNoTracking().Where(r => r.ChainSequence != null && r.FinishedAt != null);
        var actions = db.FindingActions.AsNoTracking();
        if (from is { } start)
        {
            runs = runs.Where(r => r.FinishedAt >= start);
            actions = actions.Where(a => a.At >= start);
        }

        if (to is { } end)
        {
            runs = runs.Where(r => r.FinishedAt < end);
            actions = actions.Where(a => a.At < end);
        }

        var signOffs = db.SignOffs.AsNoTracking();
        if (from is { } signedFrom)
            signOffs = signOffs.Where(s => s.At >= signedFrom);
        if (to is { } signedTo)
            signOffs = signOffs.Where(s => s.At < signedTo);
        var sequences = (await runs.Select(r => r.ChainSequence!.Value).ToListAsync(ct))
            .Concat(await actions.Select(a => a.ChainSequence).ToListAsync(ct))
            .Concat(await signOffs.Select(s => s.ChainSequence).ToListAsync(ct)).ToList();
        return sequences.Count == 0 ? null : (sequences.Min(), sequences.Max());
    }

    /// <summary>Verifies links <paramref name="from"/> (default 1) to <paramref name="to"/> (default: the head).</summary>
    public async Task<ChainVerification> VerifyAsync(long? from = null, long? to = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == 1, ct);
        var links = (await db.EvaluationRuns.AsNoTracking().Where(r => r.ChainSequence != null)
                .Select(r => new { Sequence = r.ChainSequence!.Value, r.Id }).ToListAsync(ct))
            .Select(r => (r.Sequence, Kind: ChainRecordKind.Run, r.Id))
            .Concat((await db.FindingActions.AsNoTracking().Select(a => new { Sequence = a.ChainSequence, a.Id }).ToListAsync(ct))
                .Select(a => (a.Sequence, Kind: ChainRecordKind.Action, a.Id)))
            .Concat((await db.SignOffs.AsNoTracking().Select(s => new { Sequence = s.ChainSequence, s.Id }).ToListAsync(ct))
                .Select(s => (s.Sequence, Kind: ChainRecordKind.SignOff, s.Id)))
            .ToLookup(l => l.Sequence);
        var last = Math.Max(head.Sequence, links.Count == 0 ? 0 : links.Max(l => l.Key));
        var first = Math.Max(1, from ?? 1);
        var end = Math.Min(to ?? last, last);
        var toHead = to is null || to >= last;
        var verified = 0;
        if (first > end && first > 1)
            return new ChainVerification(first, end, 0, head.Sequence, null);

        // What decides which rows are current, read once for the links checked: the rows each run superseded (which a
        // run.v4 link hashes), and every row whose supersession breaks the rule a run follows (links of any format).
        var runIds = Enumerable.Range(0, (int)Math.Max(0, end - first + 1)).SelectMany(i => links[first + i])
            .Where(l => l.Kind == ChainRecordKind.Run).Select(l => l.Id).ToList();
        var superseded = await Supersessions.SupersededAsync(db, runIds, ct);
        var faults = await Supersessions.FaultsAsync(db, ct);

        var previous = AuditChainHead.Genesis;
        if (first > 1)
        {
            if (await StoredHashAsync(db, links, first - 1, ct) is not { } anchor)
                return new ChainVerification(first, end, 0, head.Sequence, Missing(first - 1));
            previous = anchor;
        }

        for (var sequence = first; sequence <= end; sequence++)
        {
            var here = links[sequence].ToList();
            if (here.Count == 0)
                return new ChainVerification(first, end, verified, head.Sequence, Missing(sequence));
            if (here.Count > 1)
            {
                return new ChainVerification(first, end, verified, head.Sequence,
                    new ChainBreak(sequence, here[1].Kind, here[1].Id, $"{here.Count} records claim this link", null, null));
            }

            var (_, kind, id) = here[0];
            var (stored, storedPrevious, computed) = kind switch
            {
                ChainRecordKind.Run => await RunAsync(db, id, superseded(id), ct),
                ChainRecordKind.SignOff => await SignOffAsync(db, id, ct),
                _ => await ActionAsync(db, id, ct),
            };
            if (storedPrevious != previous)
            {
                return new ChainVerification(first, end, verified, head.Sequence,
                    new ChainBreak(sequence, kind, id, "does not name the hash of the link before it", previous, storedPrevious));
            }

            // A row's supersession that no run of its period and scope could have made, named with its row, before the
            // hash (a run.v4 link no longer matches either, but says only that something of the run changed).
            if (kind == ChainRecordKind.Run && faults[id].FirstOrDefault() is { } fault)
                return new ChainVerification(first, end, verified, head.Sequence, new ChainBreak(sequence, kind, id, fault, null, null));

            if (computed != stored)
            {
                var what = kind switch
                {
                    ChainRecordKind.Run => "the run, its findings, its area results or the rows it superseded",
                    ChainRecordKind.SignOff => "the sign-off",
                    _ => "the action",
                };
                return new ChainVerification(first, end, verified, head.Sequence,
                    new ChainBreak(sequence, kind, id, $"{what} no longer give the stored hash: altered after it was recorded", computed, stored));
            }

            previous = stored!;
            verified++;
        }

        if (toHead && (head.Sequence != end || head.Hash != previous))
        {
            return new ChainVerification(first, end, verified, head.Sequence,
                new ChainBreak(head.Sequence, ChainRecordKind.Head, null, $"the chain head is at link {head.Sequence} but the last link is {end}",
                    previous, head.Hash));
        }

        return new ChainVerification(first, end, verified, head.Sequence, null);
    }

    private static ChainBreak Missing(long sequence) =>
        new(sequence, ChainRecordKind.Run, null, "no run, action or sign-off holds this link: a record was removed", null, null);

    private static async Task<string?> StoredHashAsync(QcdcDbContext db, ILookup<long, (long Sequence, ChainRecordKind Kind, long Id)> links, long sequence, CancellationToken ct)
    {
        if (links[sequence].FirstOrDefault() is not { Id: > 0 } link)
            return null;
        return link.Kind switch
        {
            ChainRecordKind.Run => await db.EvaluationRuns.AsNoTracking().Where(r => r.Id == link.Id).Select(r => r.Hash).SingleAsync(ct),
            ChainRecordKind.SignOff => await db.SignOffs.AsNoTracking().Where(s => s.Id == link.Id).Select(s => s.Hash).SingleAsync(ct),
            _ => await db.FindingActions.AsNoTracking().Where(a => a.Id == link.Id).Select(a => a.Hash).SingleAsync(ct),
        };
    }

    private static async Task<(string? Stored, string? Previous, string Computed)> RunAsync(QcdcDbContext db, long id, SupersededRows superseded, CancellationToken ct)
    {
        var run = await db.EvaluationRuns.AsNoTracking().SingleAsync(r => r.Id == id, ct);
        var findings = await db.Findings.AsNoTracking().Where(f => f.RunId == id).ToListAsync(ct);
        var areas = await db.AreaResults.AsNoTracking().Where(a => a.RunId == id).ToListAsync(ct);
        var (matches, computed) = AuditChain.CheckRun(run, findings, areas, superseded);
        return (run.Hash, run.PreviousHash, matches ? run.Hash! : computed);
    }

    private static async Task<(string? Stored, string? Previous, string Computed)> SignOffAsync(QcdcDbContext db, long id, CancellationToken ct)
    {
        var signOff = await db.SignOffs.AsNoTracking().SingleAsync(s => s.Id == id, ct);
        return (signOff.Hash, signOff.PreviousHash, AuditChain.HashSignOff(signOff));
    }

    private static async Task<(string? Stored, string? Previous, string Computed)> ActionAsync(QcdcDbContext db, long id, CancellationToken ct)
    {
        var action = await db.FindingActions.AsNoTracking().SingleAsync(a => a.Id == id, ct);
        return (action.Hash, action.PreviousHash, AuditChain.HashAction(action));
    }
}

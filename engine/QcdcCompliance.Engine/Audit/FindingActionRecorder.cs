using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Audit;

/// <summary>An acknowledgement or waiver that cannot be recorded as asked (the finding was superseded or resolved).</summary>
public sealed class FindingActionRefusedException(string message) : Exception(message);

/// <summary>
/// Records that a committee member acknowledged or waived a finding: a new <see cref="FindingAction"/> appended to the
/// audit chain through <see cref="AuditChainHead"/> in its own transaction, exactly as a run is. The finding row itself
/// is never touched, so the run that recorded it still verifies.
/// </summary>
public sealed class FindingActionRecorder(IDbContextFactory<QcdcDbContext> contexts, TimeProvider clock)
{
    public const int ReasonLimit = 2000;

    public async Task<FindingAction> RecordAsync(long findingId, FindingActionKind kind, string reason, string by, CancellationToken ct = default)
    {
        var text = ReasonText.Clean(reason) ?? throw new ArgumentException("a reason is required", nameof(reason));
        if (text.Length > ReasonLimit)
            throw new ArgumentException($"a reason holds at most {ReasonLimit} characters", nameof(reason));
        // A run or another action may take the next link first: then the action is appended after it.
        return await Resilience.WriteConflicts.ExecuteAsync(async token => await RecordOnceAsync(findingId, kind, text, by, token), ct);
    }

    private async Task<FindingAction> RecordOnceAsync(long findingId, FindingActionKind kind, string reason, string by, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var finding = await db.Findings.AsNoTracking().SingleOrDefaultAsync(f => f.Id == findingId, ct)
                      ?? throw new InvalidOperationException($"finding {findingId} does not exist");
        if (finding.SupersededByRunId is { } newer)
            throw new FindingActionRefusedException($"finding {findingId} was superseded by run {newer}; act on the current finding of the same target and subject");
        if (finding.State == FindingState.Resolved)
            throw new FindingActionRefusedException($"finding {findingId} is resolved; there is nothing to {kind.ToString().ToLowerInvariant()}");

        var action = await AuditChain.AppendAsync(db, new FindingAction
        {
            FindingId = findingId, Kind = kind, Reason = reason, By = by, At = AuditChain.Truncate(clock.GetUtcNow().UtcDateTime),
            PreviousHash = "", Hash = "",
        }, AuditChain.HashAction, ct);
        await transaction.CommitAsync(ct);
        return action;
    }
}

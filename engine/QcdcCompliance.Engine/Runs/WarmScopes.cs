using System.Collections.Concurrent;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Runs;

/// <summary>Settings of the evaluation (section <c>Evaluation</c>).</summary>
public sealed class EvaluationOptions
{
    /// <summary>
    /// Keep each scope's session after a full run, so that a changed value re-evaluates only its unit (milliseconds
    /// instead of a full reload). Costs the session's memory (about 0.3 KB a unit) for as long as the process runs.
    /// </summary>
    public bool KeepWarm { get; set; }
}

/// <summary>
/// A scope kept warm after its run: the fired session, and what the last run stored from it (the open findings and
/// the run they were built in). An update is valid only while that run is still the scope's latest.
/// </summary>
public sealed class WarmScope
{
    public required WarmSession Session { get; init; }
    public required Dictionary<FindingKey, FindingDraft> Open { get; init; }
    public long LastRunId { get; set; }
    public Period Period => Session.Period;
    public Area Scope => Session.Scope;

    /// <summary>One update at a time: a session is not thread-safe.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>After an incremental run is stored: its changes applied to the open findings, and the run they now build on.</summary>
    public void MoveTo(long runId, IEnumerable<FindingDraft> upserts, IEnumerable<FindingKey> removed)
    {
        foreach (var key in removed)
            Open.Remove(key);
        foreach (var draft in upserts)
            Open[draft.Key] = draft;
        LastRunId = runId;
    }
}

/// <summary>The warm scopes of this process, by (period, province).</summary>
public sealed class WarmScopeCache
{
    private readonly ConcurrentDictionary<(string Period, string Scope), WarmScope> _scopes = new();

    public bool TryGet(string periodCode, string scopeCode, out WarmScope scope) =>
        _scopes.TryGetValue((periodCode.Trim().ToUpperInvariant(), scopeCode.Trim().ToUpperInvariant()), out scope!);

    public void Keep(WarmScope scope) => _scopes[(scope.Period.Code, scope.Scope.Code)] = scope;

    public void Drop(WarmScope scope) => _scopes.TryRemove(new KeyValuePair<(string, string), WarmScope>((scope.Period.Code, scope.Scope.Code), scope));

    public int Count => _scopes.Count;
}


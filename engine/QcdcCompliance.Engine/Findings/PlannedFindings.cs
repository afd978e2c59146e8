using System.Collections;

namespace QcdcCompliance.Findings;

/// <summary>
/// The findings of a fired session in their final order, known (how many, which) before any is built. Each draft is
/// built once, the first time it is asked for, on whichever thread asks; <see cref="Built"/> builds the rest on the
/// pool's threads, in order, and is started by the first who asks for it. Enumerating waits for every draft, so a
/// reader of the list sees the same drafts in the same order as if they had been built at once
/// (<see cref="FindingBuilder.Build"/> is <c>Plan(...).BuildAll()</c>).
/// </summary>
public sealed class PlannedFindings : IReadOnlyList<FindingDraft>
{
    private readonly int[] _slots;
    private readonly FindingDraft?[] _built;
    private readonly Lazy<Task<List<FindingDraft>>> _all;
    // What builds a draft holds the session's shortfalls and the areas' lists of units: let go once every draft is built.
    private Func<int, FindingDraft>? _build;

    /// <param name="slots">What to build for each position, in order (given to <paramref name="build"/>).</param>
    /// <param name="build">Builds one draft; called once for a position unless two threads ask for it at once (either result is kept, they are equal).</param>
    internal PlannedFindings(int[] slots, Func<int, FindingDraft> build)
    {
        _slots = slots;
        _build = build;
        _built = new FindingDraft?[slots.Length];
        _all = new Lazy<Task<List<FindingDraft>>>(() => Task.Run(BuildEvery), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Count => _slots.Length;

    /// <summary>The draft at <paramref name="index"/>, built now if it was not yet. Safe from any number of threads.</summary>
    public FindingDraft this[int index] =>
        Volatile.Read(ref _built[index]) ?? Interlocked.CompareExchange(ref _built[index], _build!(_slots[index]), null) ?? _built[index]!;

    /// <summary>Every draft, in order, once built: the first call starts building those not yet built, in ranges on every core.</summary>
    public Task<List<FindingDraft>> Built => _all.Value;

    /// <summary>Every draft, in order (<see cref="Built"/>, waited for). The same list on every call.</summary>
    public List<FindingDraft> BuildAll() => Built.GetAwaiter().GetResult();

    private List<FindingDraft> BuildEvery()
    {
        if (_built.Length > 0)
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, _built.Length, 4096), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                    _ = this[i];
            });
        }

        var list = new List<FindingDraft>(_built.Length);
        foreach (var draft in _built)
            list.Add(draft!);
        _build = null;
        return list;
    }

    public IEnumerator<FindingDraft> GetEnumerator() => BuildAll().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

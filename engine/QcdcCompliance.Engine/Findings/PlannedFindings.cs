using System.Collections;

namespace QcdcCompliance.Findings;

/// <summary>
/// The findings of a fired session in their final order, known (how many, which) before any is built. They are built
/// in small ranges, each once, by whoever first needs one of its drafts (a reader waits for a range another thread is
/// building); <see cref="Built"/> builds the rest on the pool's threads, in order from the front, and is started by the
/// first who asks for it. Enumerating waits for every draft, so a reader of the list sees the same drafts in the same
/// order as if they had been built at once (<see cref="FindingBuilder.Build"/> is <c>Plan(...).BuildAll()</c>).
/// </summary>
public sealed class PlannedFindings : IReadOnlyList<FindingDraft>
{
    /// <summary>
    /// Drafts a range holds: small, so that a writer that catches up with the builders waits for little, and the threads
    /// that map one chunk of rows build its ranges side by side.
    /// </summary>
    private const int RangeSize = 64;

    private readonly int[] _slots;
    private readonly FindingDraft?[] _built;
    // Per range: 0 unclaimed, 1 being built, 2 built; and what waits for a range another thread builds.
    private readonly int[] _state;
    private readonly TaskCompletionSource[] _done;
    private readonly Lazy<Task<List<FindingDraft>>> _all;
    // What builds a draft holds the session's shortfalls and the areas' lists of units: let go once every draft is built.
    private Func<int, FindingDraft>? _build;
    // How many of the pool's builders may take the next range (see LeaveACoreToTheWriter), and the last range taken.
    private int _builders = Environment.ProcessorCount;
    private int _next = -1;

    /// <param name="slots">What to build for each position, in order (given to <paramref name="build"/>).</param>
    /// <param name="build">Builds one draft; called once for each position, on any thread.</param>
    internal PlannedFindings(int[] slots, Func<int, FindingDraft> build)
    {
        _slots = slots;
        _build = build;
        _built = new FindingDraft?[slots.Length];
        var ranges = (slots.Length + RangeSize - 1) / RangeSize;
        _state = new int[ranges];
        _done = new TaskCompletionSource[ranges];
        for (var r = 0; r < ranges; r++)
            _done[r] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _all = new Lazy<Task<List<FindingDraft>>>(() => Task.Run(BuildEvery), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Count => _slots.Length;

    /// <summary>The draft at <paramref name="index"/>: built now, with its range, unless it was, or waited for while another thread builds it.</summary>
    public FindingDraft this[int index]
    {
        get
        {
            if (Volatile.Read(ref _built[index]) is { } built)
                return built;
            var range = index / RangeSize;
            if (!TryBuild(range))
                _done[range].Task.GetAwaiter().GetResult();
            return _built[index]!;
        }
    }

    /// <summary>Every draft, in order, once built: the first call starts building those not yet built, in ranges on every core.</summary>
    public Task<List<FindingDraft>> Built => _all.Value;

    /// <summary>Every draft, in order (<see cref="Built"/>, waited for). The same list on every call.</summary>
    public List<FindingDraft> BuildAll() => Built.GetAwaiter().GetResult();

    /// <summary>Builds the range unless another thread has claimed it (false).</summary>
    private bool TryBuild(int range)
    {
        if (Interlocked.CompareExchange(ref _state[range], 1, 0) != 0)
            return false;
        try
        {
            var end = Math.Min(_slots.Length, (range + 1) * RangeSize);
            for (var i = range * RangeSize; i < end; i++)
                Volatile.Write(ref _built[i], _build!(_slots[i]));
            Volatile.Write(ref _state[range], 2);
            _done[range].SetResult();
        }
        catch (Exception e)
        {
            _done[range].SetException(e);
            throw;
        }

        return true;
    }

    /// <summary>
    /// From now on the pool builds on one thread fewer than there are cores (a builder beyond that stops for good), for a
    /// writer that stores the drafts as they are built: on this machine's two, a writer sharing its core with two builders
    /// went at two thirds of its speed, and it is what the run waits for. The writer asks for every draft, so none is left
    /// to the builders that stopped.
    /// </summary>
    public void LeaveACoreToTheWriter() => Volatile.Write(ref _builders, Math.Max(1, Environment.ProcessorCount - 1));

    private List<FindingDraft> BuildEvery()
    {
        // Ranges in order, handed out one at a time from the front to a builder on every core (fewer while a writer runs:
        // a builder beyond their number stops). A range another thread is building is waited for at the end.
        var others = Enumerable.Range(1, Environment.ProcessorCount - 1).Select(k => Task.Run(() => Build(k))).ToArray();
        Build(0);
        Task.WaitAll(others);
        for (var r = 0; r < _state.Length; r++)
        {
            if (Volatile.Read(ref _state[r]) != 2)
                _done[r].Task.GetAwaiter().GetResult();
        }

        var list = new List<FindingDraft>(_built.Length);
        foreach (var draft in _built)
            list.Add(draft!);
        _build = null;
        return list;

        void Build(int builder)
        {
            while (builder < Volatile.Read(ref _builders))
            {
                var range = Interlocked.Increment(ref _next);
                if (range >= _state.Length)
                    return;
                TryBuild(range);
            }
        }
    }

    public IEnumerator<FindingDraft> GetEnumerator() => BuildAll().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

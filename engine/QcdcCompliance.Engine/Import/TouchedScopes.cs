using QcdcCompliance.Domain;

namespace QcdcCompliance.Import;

/// <summary>
/// What an import touched, for every kind of import alike: the (period, province) scopes whose figures it changed, which
/// the import answers (<c>touched</c>) and re-evaluates once they have ended (<see cref="Runs.EvaluateTouchedScopes"/>). A
/// unit counts, in a period, in the province its area lies in on the period's last day; a half-year touched touches its
/// year too, which reads its halves.
/// </summary>
public static class TouchedScopes
{
    /// <summary>The province whose runs of a period ending on <paramref name="day"/> count a unit of the area, or null when the area did not exist then.</summary>
    public static Area? ProvinceOn(AreaTree tree, int areaId, DateOnly day) => tree.PathOn(areaId, day) is [.., var province] ? province : null;

    /// <summary>The scopes in their order (by period, then scope), each once.</summary>
    public static List<(string Period, string Scope)> Ordered(IEnumerable<(string Period, string Scope)> scopes)
    {
        var list = scopes.Distinct().ToList();
        list.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Period, b.Period);
            return order != 0 ? order : string.CompareOrdinal(a.Scope, b.Scope);
        });
        return list;
    }

    /// <summary>How a period counts a unit on its last day: whether it is active, and if so where it sits and what it is.</summary>
    public readonly record struct Standing(bool Active, int AreaId, UnitKind Kind, bool HasTradeUnion)
    {
        public static Standing Inactive { get; } = new(false, 0, default, false);

        public static Standing Of(bool active, int areaId, UnitKind kind, bool union) => active ? new(true, areaId, kind, union) : Inactive;
    }

    /// <summary>
    /// The scopes of the periods given in which units were counted otherwise before a write than after it: opened or
    /// closed on their last day, moved, or of another kind or trade union then. Each is touched in the province the unit
    /// sat in before and in the one it sits in after (where it is active); a half-year also touches its year there.
    /// </summary>
    public static List<(string Period, string Scope)> OfUnits(AreaTree tree, IReadOnlyList<Period> periods,
        IEnumerable<(Func<DateOnly, Standing> Before, Func<DateOnly, Standing> After)> units)
    {
        var touched = new HashSet<(string Period, string Scope)>();
        var provinces = new Dictionary<(int Area, DateOnly Day), string?>();
        void Add(Period period, Standing standing)
        {
            if (!standing.Active)
                return;
            if (!provinces.TryGetValue((standing.AreaId, period.End), out var province))
                provinces[(standing.AreaId, period.End)] = province = ProvinceOn(tree, standing.AreaId, period.End)?.Code;
            if (province is null)
                return;
            touched.Add((period.Code, province));
            if (period.Type == PeriodType.HalfYear)
                touched.Add((new PeriodCode(PeriodType.Year, period.Year, 0).Code, province));
        }

        foreach (var (before, after) in units)
        {
            foreach (var period in periods)
            {
                var (was, @is) = (before(period.End), after(period.End));
                if (was == @is)
                    continue;
                Add(period, was);
                Add(period, @is);
            }
        }

        return Ordered(touched);
    }
}

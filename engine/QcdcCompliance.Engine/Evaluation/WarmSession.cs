using NRules;
using NRules.Diagnostics;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// A scope's fired session kept after a full evaluation, with its reports, area roll-ups and the short-unit lists of
/// the areas that fell short, kept true as single units change.
/// </summary>
public sealed class WarmSession
{
    private readonly Dictionary<(string Target, int Area), AreaUnits> _shortUnits = [];
    private Dictionary<int, List<int>>? _byArea;
    private Dictionary<string, TargetFact>? _targets;

    public required Period Period { get; init; }
    public required Area Scope { get; init; }
    public required ScopeFacts Facts { get; set; }
    /// <summary>The fired NRules session.</summary>
    public required ISession Rules { get; init; }
    public required List<UnitReport?> Reports { get; init; }
    public required Dictionary<int, int> IndexOfUnit { get; init; }
    public required Dictionary<(string Target, int Area), AreaOutcome> Areas { get; init; }

    /// <summary>The paths of the scope's areas on the period's last day, as the full run computed them.</summary>
    public required Dictionary<int, IReadOnlyList<AreaRef>> Paths { get; init; }

    /// <summary>Units in the session now (reports retracted since the full run are no longer counted).</summary>
    public int ActiveUnits { get; set; }

    /// <summary>The reports of the units whose path passes through an area (built on first use).</summary>
    public IEnumerable<UnitReport> ReportsIn(int areaId)
    {
        if (_byArea is null)
        {
            _byArea = [];
            foreach (var report in Reports.OfType<UnitReport>())
            {
                foreach (var area in report.Unit.Path)
                {
                    if (!_byArea.TryGetValue(area.Id, out var list))
                        _byArea[area.Id] = list = [];
                    list.Add(report.Index);
                }
            }
        }

        return (_byArea.GetValueOrDefault(areaId) ?? []).Select(i => Reports[i]).OfType<UnitReport>();
    }

    /// <summary>
    /// The units of a target's population in an area that fall short and those not reported, in ordinal order, for an
    /// area finding's evidence: worked out once, then kept true by <see cref="Changed"/>, so that a change in a province
    /// of 300,000 units does not measure them all again.
    /// </summary>
    public AreaUnits UnitsOf(TargetFact target, int areaId)
    {
        if (!_shortUnits.TryGetValue((target.Code, areaId), out var units))
        {
            var reports = ReportsIn(areaId).ToList();
            _shortUnits[(target.Code, areaId)] = units = target.UnitsShort(reports);
        }

        return units;
    }

    /// <summary>Keeps the unit lists true once a unit's report changed or was added (its path never changes here).</summary>
    public void Changed(UnitReport report)
    {
        _targets ??= Facts.Targets.ToDictionary(t => t.Code);
        var code = report.Unit.Code;
        foreach (var ((targetCode, areaId), units) in _shortUnits)
        {
            if (!report.Unit.IsIn(areaId))
                continue;
            var target = _targets[targetCode];
            units.Replace(target, code, target.Includes(report) ? target.Measure(report) : Measured.NotApplicable);
        }
    }

    /// <summary>
    /// Applies the changed units' current reports (a unit absent from <paramref name="reports"/> has closed or left
    /// the scope) and fires; what the rules changed. Throws <see cref="WarmSessionCannotTakeException"/> for a change
    /// only a full run can take (a unit that moved between areas or left the scope, or one whose first-half counts the year carries).
    /// </summary>
    public OutcomeChanges Apply(IReadOnlyCollection<int> unitIds, IReadOnlyList<UnitReport> reports)
    {
        // A year's carried reports are few (its units closed since its first half): worked out again for each change.
        var carried = Facts.Carried.ToDictionary(r => r.Unit.Id);
        using var changes = new OutcomeChanges(Rules, CarriedFlows.Of(Facts));
        var loaded = reports.ToDictionary(r => r.Unit.Id);
        foreach (var id in unitIds.Distinct())
        {
            // The counts it carries are summed once, as the full run loaded them: a full run reads them again.
            if (carried.TryGetValue(id, out var closed))
                throw new WarmSessionCannotTakeException($"unit {closed.Unit.Code} closed during the year and carries its first half's counts");
            var known = IndexOfUnit.TryGetValue(id, out var index) ? Reports[index] : null;
            if (loaded.TryGetValue(id, out var report))
            {
                if (known is null)
                {
                    Add(report);
                    Rules.Insert(report);
                }
                else if (!ReferenceEquals(known.Unit.Path, report.Unit.Path) && !known.Unit.Path.SequenceEqual(report.Unit.Path))
                    throw new WarmSessionCannotTakeException($"unit {report.Unit.Code} moved to another area");
                else
                {
                    Reports[index] = report;
                    Rules.Update(report);
                }

                Changed(report);
            }
            else if (known is not null)
            {
                // Closed, or moved out of the scope's areas as the full run knew them: only a full run can tell.
                throw new WarmSessionCannotTakeException($"unit {known.Unit.Code} left the scope's known areas");
            }
        }

        Rules.Fire();
        return changes;
    }

    /// <summary>Records a unit new to the scope (its index is the next one).</summary>
    public void Add(UnitReport report)
    {
        Reports.Add(report);
        IndexOfUnit[report.Unit.Id] = report.Index;
        ActiveUnits++;
        _byArea = null;
    }
}

/// <summary>The warm session cannot take this change (a unit moved, the targets changed): evaluate the scope afresh.</summary>
public sealed class WarmSessionCannotTakeException(string message) : Exception(message);

/// <summary>
/// Collects what the rules changed while a session fired: shortfalls set or removed in its <see cref="ShortfallSink"/>,
/// roll-ups inserted, updated or retracted (each with the year's carried counts added, as a full run reads them).
/// </summary>
public sealed class OutcomeChanges : IDisposable
{
    private readonly ISession _session;
    private readonly ShortfallSink _shortfalls;
    private readonly CarriedFlows? _carried;

    public OutcomeChanges(ISession session, CarriedFlows? carried = null)
    {
        _session = session;
        _carried = carried;
        _shortfalls = ShortfallSink.Of(session);
        _shortfalls.Changed += OnShortfall;
        session.Events.FactInsertedEvent += OnUpserted;
        session.Events.FactUpdatedEvent += OnUpserted;
        session.Events.FactRetractedEvent += OnRetracted;
    }

    public Dictionary<(string Target, int Unit), UnitShortfall?> Units { get; } = [];
    public Dictionary<(string Target, int Area), AreaOutcome?> Areas { get; } = [];

    private void OnShortfall(string target, int unit, UnitShortfall? shortfall) => Units[(target, unit)] = shortfall;

    private void OnUpserted(object? sender, WorkingMemoryEventArgs e) => Record(e.Fact.Value, present: true);

    private void OnRetracted(object? sender, WorkingMemoryEventArgs e) => Record(e.Fact.Value, present: false);

    /// <summary>
    /// A roll-up as it now stands: the fact when inserted or updated; when retracted (its area's last unit of the
    /// population left it), the year's counts carried into the area alone, as a full run reads them, else null.
    /// </summary>
    private void Record(object? fact, bool present)
    {
        if (fact is AreaOutcome a)
            Areas[(a.Target.Code, a.Area.Id)] = present ? _carried?.AddTo(a) ?? a : _carried?.Alone(a.Target, a.Area.Id);
    }

    public void Dispose()
    {
        _shortfalls.Changed -= OnShortfall;
        _session.Events.FactInsertedEvent -= OnUpserted;
        _session.Events.FactUpdatedEvent -= OnUpserted;
        _session.Events.FactRetractedEvent -= OnRetracted;
    }
}

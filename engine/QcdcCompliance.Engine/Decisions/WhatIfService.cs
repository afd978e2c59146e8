using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Decisions;

/// <summary>A what-if: a proposed target set (the JSON of <c>qcdc import targets</c>) over a period's stored data.</summary>
public sealed record WhatIfRequest(string Period, string File, byte[] Proposal, string? Area, string By)
{
    /// <summary>The area the set binds instead of its own <c>"scope"</c> (as <c>qcdc import targets --scope</c>).</summary>
    public string? Scope { get; init; }

    /// <summary>
    /// The areas the asker may name as the set's scope (null: any, as on the command line); another is answered as an
    /// unknown area.
    /// </summary>
    public Func<Area, bool>? MayName { get; init; }
}

/// <summary>
/// Evaluates a proposed target set on the stored data of a period through the same path as a run (the import's checks,
/// the fact loader with the stored sets as they would stand after importing it, the compiled rules, the finding
/// builder) and compares, per target of the set and subject, the standing the stored evaluation recorded with the one
/// the proposal gives. It reads and stores nothing: no run, finding, area result, outbox message or chain link; who
/// asked is logged.
/// </summary>
public sealed class WhatIfService(
    IDbContextFactory<QcdcDbContext> contexts,
    FactLoader loader,
    EvaluationService evaluations,
    ITargetRuleCatalogue rules,
    ILogger<WhatIfService> logger)
{
    public async Task<WhatIfResult> EvaluateAsync(WhatIfRequest request, CancellationToken ct = default)
    {
        if (!PeriodCode.TryParse(request.Period, out var code))
            throw new NotAPeriodException(request.Period);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Code == code.Code, ct)
                     ?? throw new EvaluationRequestException($"period {request.Period} has no stored data; import its values first");
        var (proposal, replaced, setsAfter) = await TargetSetImporter.ProposeAsync(db, request.File, request.Proposal, request.Scope, request.MayName, rules, ct);
        // Next year's set on this year's data: applied as if in force, and the answer says so.
        var asIf = ProposalInForce.Apply(proposal, period);
        var stored = await FactLoader.StoredSetsAsync(db, ct);
        var codes = proposal.Targets.Select(t => t.Code).Concat(replaced.SelectMany(r => r.Targets).Select(t => t.Code))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var tree = await db.LoadAreaTreeAsync(ct);
        var area = request.Area is null ? null : tree.Find(request.Area.Trim()) ?? throw new UnknownAreaException(request.Area);
        if (asIf is not null)
            setsAfter = TargetSetImporter.WithoutPredecessors(setsAfter, proposal, period, tree);
        var scopes = EvaluationService.ScopesOf(tree, period, area?.Code);
        var rows = new List<WhatIfRow>();
        var own = new List<WhatIfRow>();
        var thresholds = new Dictionary<string, (Threshold? Now, Threshold? Proposed)>(StringComparer.Ordinal);
        var minimums = new Dictionary<string, (long? Now, long? Proposed)>(StringComparer.Ordinal);
        var (unitsShortNow, unitsShortProposed) = (new HashSet<int>(), new HashSet<int>());
        foreach (var scope in scopes)
            rows.AddRange(await CompareAsync(db, period, scope, tree, stored, setsAfter, proposal, codes, area, thresholds, minimums, own, (unitsShortNow, unitsShortProposed), ct));
        rows.Sort(static (a, b) =>
        {
            var byTarget = string.CompareOrdinal(a.Target, b.Target);
            if (byTarget != 0)
                return byTarget;
            var byType = ((int)b.SubjectType).CompareTo((int)a.SubjectType); // areas first
            return byType != 0 ? byType : string.CompareOrdinal(a.SubjectCode, b.SubjectCode);
        });

        var result = new WhatIfResult(period.Code, proposal.Code, proposal.ScopeAreaCode ?? TargetSetImporter.National, area?.Code,
            scopes.Select(s => s.Code).ToList(), codes, rows)
        {
            SetName = proposal.NameInText,
            Settings = proposal.Targets.Concat(replaced.SelectMany(r => r.Targets)).GroupBy(t => t.Code, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            Thresholds = thresholds,
            Minimums = minimums,
            AppliedAsIfInForce = asIf,
            OwnUnits = own,
            UnitsShortOrNotReported = new WhatIfUnitCount(unitsShortNow.Count, unitsShortProposed.Count),
        };
        logger.LogInformation("What-if of target set {Set} ({File}) on {Period} over {Area} asked by {By}: {Rows} rows, {Changed} would change{AsIf}; nothing stored",
            proposal.Code, Path.GetFileName(request.File), period.Code, area?.Code ?? string.Join(",", result.Provinces), request.By, rows.Count, result.Changed,
            asIf is null ? "" : " (applied as if in force)");
        return result;
    }

    /// <summary>
    /// One province: the proposal and the sets in force fired over the same facts (the data as it stands now), compared.
    /// "Now" is what the sets in force say of that data, not what the latest run recorded: a value changed since the run
    /// was credited to the proposal (an unchanged set "would change" a unit short → met, and an area's share under an
    /// identical test), since the run's findings judged the old value and the proposal the new one.
    /// </summary>
    private async Task<List<WhatIfRow>> CompareAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, List<Resolution> stored,
        List<Resolution> setsAfter, Resolution proposal, List<string> codes, Area? area, Dictionary<string, (Threshold? Now, Threshold? Proposed)> thresholds,
        Dictionary<string, (long? Now, long? Proposed)> minimums, List<WhatIfRow> own, (HashSet<int> Now, HashSet<int> Proposed) unitsShort, CancellationToken ct)
    {
        ScopeFacts facts;
        var paths = FactLoader.PathsIn(period, scope, tree);
        var wanted = codes.ToHashSet(StringComparer.Ordinal);
        bool evaluated;
        await using (await db.BeginReadSnapshotAsync(ct))
        {
            facts = await loader.LoadAsync(db, period, scope, tree, paths, setsAfter, ct);
            // A scope never run has no standing at all: "now" is not evaluated for every subject, never met.
            evaluated = await db.ScopeStates.AsNoTracking().AnyAsync(s => s.PeriodId == period.Id && s.ScopeAreaId == scope.Id, ct);
        }

        var inForce = loader.TargetsOf(stored, period, scope, tree, paths);
        var current = new CodeBindings(inForce.Targets.Where(t => wanted.Contains(t.Code)), proposal, paths);
        var proposed = new CodeBindings(facts.Targets.Where(t => wanted.Contains(t.Code)), proposal, paths);
        foreach (var code in codes)
        {
            thresholds.TryAdd(code, (current.Stated(code)?.Threshold, proposed.Stated(code)?.Threshold));
            minimums.TryAdd(code, (current.Stated(code)?.Minimum, proposed.Stated(code)?.Minimum));
        }

        // Only the targets compared are fired: the others' findings are not asked for, and each target's rules read only its own
        // fact. The same reports serve both sides (a report holds every value of its unit); what a unit owes follows the sets,
        // so the reporting target, when compared, reads the sets in force's own.
        var fired = facts with { Targets = proposed.All };
        var asNow = (wanted.Contains(ReportingTarget.Code) ? await LoadInForceAsync(db, period, scope, tree, paths, stored, ct) : facts) with
        {
            Targets = current.All,
        };
        // What each side measures, compared by standing and figures: the findings' evidence is not built.
        var (_, outcome) = evaluations.Fire(fired);
        var (_, nowOutcome) = evaluations.Fire(asNow);
        var areaDrafts = FindingBuilder.AreaResults(outcome);
        var nowDrafts = FindingBuilder.AreaResults(nowOutcome);

        // An area dissolved during the period (a district on 1 July, its row of the counts carried into it) is within what its kept path is in.
        bool Within(int areaId) => area is null || (tree.DissolvedBy(areaId, period.End) ? tree.PathKeptOn(areaId, period.End, period.Start).Select(a => a.Id)
            : paths.TryGetValue(areaId, out var path) ? path.Select(a => a.Id) : []).Contains(area.Id);
        var rows = new List<WhatIfRow>();

        // Areas: the roll-ups a run judges (at the levels its target is measured over) that the latest run stored and the
        // proposal makes. A run rolls every level up but judges only those: a commune's share of a target measured over
        // districts is no finding before or after, and counting it made "7 would change" where a run changed 4 (probe 48).
        var nowAreas = nowDrafts.Where(a => Judged(current.OfArea(a.TargetCode, a.AreaId), a.AreaLevel)).ToDictionary(a => (a.TargetCode, a.AreaId));
        var newAreas = areaDrafts.Where(a => codes.Contains(a.TargetCode) && Judged(proposed.OfArea(a.TargetCode, a.AreaId), a.AreaLevel))
            .ToDictionary(a => (a.TargetCode, a.AreaId));
        foreach (var key in nowAreas.Keys.Union(newAreas.Keys).Where(k => Within(k.AreaId)))
        {
            var now = nowAreas.GetValueOrDefault(key);
            var next = newAreas.GetValueOrDefault(key);
            var named = tree[key.AreaId];
            rows.Add(new WhatIfRow(key.TargetCode, SubjectType.Area, named.Code, named.Name,
                !evaluated ? Standing.NotEvaluated : now is null ? Standing.NotApplicable : Standings.Of(now.Status),
                next is null ? Standing.NotApplicable : Standings.Of(next.Status),
                now is null ? null : AreaFigures(current.OfArea(key.TargetCode, key.AreaId), now.PopulationUnits, now.MetUnits, now.MissingUnits, now.Numerator, now.Denominator),
                next is null ? null : AreaFigures(proposed.OfArea(key.TargetCode, key.AreaId), next.PopulationUnits, next.MetUnits, next.MissingUnits, next.Numerator, next.Denominator)));
        }

        // An area's units in none of its child areas listed beside it, on each side: its figures less theirs, judged as a run
        // judges an area (as the compliance tables' own-units row), so that the rows add up to the area's.
        var listed = rows.ToDictionary(r => (r.Target, r.SubjectCode));
        foreach (var parent in rows.ToList())
        {
            var parentId = tree.Find(parent.SubjectCode)!.Id;
            var children = tree.ChildrenIn(parentId, period.Start, period.End).Select(c => listed.GetValueOrDefault((parent.Target, c.Code))).OfType<WhatIfRow>().ToList();
            if (children.Count == 0)
                continue;
            var now = Rest(current.OfArea(parent.Target, parentId), parent.NowFigures, children.Select(c => c.NowFigures));
            var next = Rest(proposed.OfArea(parent.Target, parentId), parent.ProposedFigures, children.Select(c => c.ProposedFigures));
            if (now is not null || next is not null)
            {
                own.Add(new WhatIfRow(parent.Target, SubjectType.Area, parent.SubjectCode, parent.SubjectName,
                    !evaluated ? Standing.NotEvaluated : now?.Standing ?? Standing.NotApplicable, next?.Standing ?? Standing.NotApplicable, now?.Figures, next?.Figures));
            }
        }

        // Units: those that fall short on either side, or whose standing changes. Each target's measurements by unit id,
        // looked up for each unit: keyed by (target, unit), every lookup hashed the target's code (a province's 1,750,000
        // lookups took 1.9 s, 06/12).
        var nowUnits = Shortfalls(codes, nowOutcome);
        var newUnits = Shortfalls(codes, outcome);

        var within = facts.Reports.Where(r => Within(r.Unit.Path[0].Id)).ToList();
        foreach (var target in codes)
        {
            var (nowOf, newOf) = (nowUnits[target], newUnits[target]);
            var (nowBindings, newBindings) = (current.Of(target), proposed.Of(target));
            foreach (var report in within)
            {
                var (nowFact, newFact) = (CodeBindings.OfUnit(nowBindings, report), CodeBindings.OfUnit(newBindings, report));
                var nowFinding = nowOf.GetValueOrDefault(report.Unit.Id);
                var newFinding = newOf.GetValueOrDefault(report.Unit.Id);
                var now = !evaluated ? Standing.NotEvaluated : nowFinding is not null ? Standings.Of(nowFinding.Outcome) : UnitStanding(nowFact, report);
                var next = newFinding is not null ? Standings.Of(newFinding.Outcome) : UnitStanding(newFact, report);
                if (now != Standing.NotEvaluated && FallsShort(nowFact, now, report))
                    unitsShort.Now.Add(report.Unit.Id);
                if (FallsShort(newFact, next, report))
                    unitsShort.Proposed.Add(report.Unit.Id);
                // Neither side short and nothing changes (a unit not evaluated has nothing to change): not listed.
                if ((now == next || now == Standing.NotEvaluated) && !Standings.FallsShort(now) && !Standings.FallsShort(next))
                    continue;
                rows.Add(new WhatIfRow(target, SubjectType.Unit, report.Unit.Code, report.Unit.Name, now, next,
                    nowFinding is not null ? UnitFigures(nowFinding) : now == Standing.NotEvaluated ? null : UnitFigures(nowFact, report),
                    newFinding is not null ? UnitFigures(newFinding) : UnitFigures(newFact, report)));
            }
        }

        return rows;
    }

    /// <summary>Whether a run judges the target's roll-up over an area of this level (the run's rule, <see cref="JudgedLevels.MeasuredAt"/>).</summary>
    private static bool Judged(TargetFact? target, AreaLevel level) =>
        target is not null && JudgedLevels.MeasuredAt(target.MeasuredOver, level);

    /// <summary>Each target's measurements of the units that fall short of it, by unit id (looked up per unit: keyed by (target, unit), every lookup hashed the code).</summary>
    private static Dictionary<string, Dictionary<int, Measurement>> Shortfalls(List<string> codes, SessionOutcome outcome)
    {
        var of = codes.ToDictionary(c => c, _ => new Dictionary<int, Measurement>(), StringComparer.Ordinal);
        foreach (var shortfall in outcome.Shortfalls)
        {
            if (of.TryGetValue(shortfall.Target.Code, out var units))
                units.Add(shortfall.Report.Unit.Id, FindingBuilder.Measure(shortfall));
        }

        return of;
    }

    /// <summary>The facts as the sets in force make them (what each unit owes included), for the reporting target's side of now.</summary>
    private async Task<ScopeFacts> LoadInForceAsync(QcdcDbContext db, Period period, Area scope, AreaTree tree, Dictionary<int, IReadOnlyList<AreaRef>> paths,
        List<Resolution> stored, CancellationToken ct)
    {
        await using (await db.BeginReadSnapshotAsync(ct))
            return await loader.LoadAsync(db, period, scope, tree, paths, stored, ct);
    }

    /// <summary>A unit with no finding: met when the target measures it (and there is something to measure: not a ratio over zero cases), else not applicable.</summary>
    private static Standing UnitStanding(TargetFact? target, UnitReport report) =>
        target is { MeasuresUnits: true } && target.Includes(report) && target.Measure(report).Status is not (MeasureStatus.NotApplicable or MeasureStatus.NoCases)
            ? Standing.Met : Standing.NotApplicable;

    /// <summary>
    /// Whether a unit falls short of a target or did not report what it reads, on one side: by its own standing when the
    /// target judges units, else as its areas' figures count it (short, or among their <c>missing</c>): a set over areas
    /// only judges no unit, yet a unit that answered "không" or did not report is one of the units its areas fall short by.
    /// </summary>
    private static bool FallsShort(TargetFact? target, Standing standing, UnitReport report) =>
        Standings.FallsShort(standing)
        || (target is { MeasuresUnits: false } && target.MeasureInPopulation(report).Status is MeasureStatus.Short or MeasureStatus.Missing);

    /// <summary>An area's figures less its children's, judged by the target; null when no unit of its population is directly under it.</summary>
    private static (Standing Standing, WhatIfFigures Figures)? Rest(TargetFact? target, WhatIfFigures? total, IEnumerable<WhatIfFigures?> children)
    {
        if (target is null || total is null)
            return null;
        var parts = children.OfType<WhatIfFigures>().ToList();
        var (population, met, missing) = ((total.Population ?? 0) - parts.Sum(c => c.Population ?? 0), (total.Met ?? 0) - parts.Sum(c => c.Met ?? 0),
            (total.Missing ?? 0) - parts.Sum(c => c.Missing ?? 0));
        var (numerator, denominator) = ((total.Numerator ?? 0) - parts.Sum(c => c.Numerator ?? 0), (total.Denominator ?? 0) - parts.Sum(c => c.Denominator ?? 0));
        if (population <= 0 || met < 0 || missing < 0 || numerator < 0 || denominator < 0)
            return null;
        return (Standings.Of(target.AreaStatusOf(population, missing, numerator, denominator)), AreaFigures(target, population, met, missing, numerator, denominator));
    }

    /// <summary>
    /// One side's targets by code. A code names one target wherever it binds, but two sets may each define it for an area
    /// of their own (two districts' sets; the import refuses it only where their areas overlap): each subject is judged by
    /// the one that binds it, and the target's requirement is said as the proposal's set states it.
    /// </summary>
    private sealed class CodeBindings(IEnumerable<TargetFact> facts, Resolution proposal, Dictionary<int, IReadOnlyList<AreaRef>> paths)
    {
        private readonly Dictionary<string, TargetFact[]> _byCode = facts.GroupBy(t => t.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        /// <summary>Every target of the side, each binding of a code once (what the session fires).</summary>
        public List<TargetFact> All => _byCode.Values.SelectMany(t => t).ToList();

        /// <summary>The target as the page states it: the proposal's set's own binding (its stored copy's, now), else the only or first one.</summary>
        public TargetFact? Stated(string code) => _byCode.TryGetValue(code, out var all)
            ? all.FirstOrDefault(t => t.Set is { } set && set.Code == proposal.Code && set.ScopeAreaCode == proposal.ScopeAreaCode)
              ?? all.FirstOrDefault(t => t.Set is { } set && set.Code == proposal.Code) ?? all[0]
            : null;

        /// <summary>The code's bindings (none when the side does not have it): looked up once per target, not per unit.</summary>
        public TargetFact[] Of(string code) => _byCode.GetValueOrDefault(code, []);

        /// <summary>The binding whose area contains the area (it rolls up to it); null when none does.</summary>
        public TargetFact? OfArea(string code, int areaId) => _byCode.TryGetValue(code, out var all)
            ? all.Length == 1 ? all[0] : all.FirstOrDefault(t => t.BoundArea is null || (paths.TryGetValue(areaId, out var path) && path.Any(a => a.Id == t.BoundArea.Id)))
            : null;

        /// <summary>Of a code's bindings, the one whose population holds the unit, else any (the unit is then outside every one).</summary>
        public static TargetFact? OfUnit(TargetFact[] bindings, UnitReport report) => bindings.Length switch
        {
            0 => null,
            1 => bindings[0],
            _ => Array.Find(bindings, t => t.Includes(report)) ?? bindings[0],
        };
    }

    private static WhatIfFigures AreaFigures(TargetFact? target, int population, int met, int missing, long numerator, long denominator) =>
        new(numerator, denominator, null, population, met, missing, target?.Threshold.ToString(),
            target is null || population == 0 ? null : target.GapOf(population, missing, numerator, denominator).Gap) { Threshold = target?.Threshold };

    private static WhatIfFigures UnitFigures(Measurement m) =>
        new(m.Numerator, m.Denominator, m.Value, null, null, null, m.Minimum is { } minimum ? $">= {minimum}" : m.Threshold.ToString(), null)
        {
            Threshold = m.Minimum is null ? m.Threshold : null,
        };

    private static WhatIfFigures? UnitFigures(TargetFact? target, UnitReport report)
    {
        if (target is not { MeasuresUnits: true } || !target.Includes(report))
            return null;
        var measured = target.Measure(report);
        return new WhatIfFigures(measured.Numerator, measured.Denominator, measured.Value, null, null, null,
            target.Minimum is { } minimum ? $">= {minimum}" : target.Threshold.ToString(), null) { Threshold = target.Minimum is null ? target.Threshold : null };
    }
}

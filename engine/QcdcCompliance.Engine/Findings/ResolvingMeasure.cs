using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Findings;

/// <summary>
/// What the row of the run that resolves a finding says: what that run read for the subject, not the shortfall it
/// closes (which stays provable from the row it supersedes). A unit it measured and found meeting the target gives its
/// values and status, an area its figures, with <see cref="FindingOutcome.Met"/>; a subject it did not measure (the
/// unit closed or left the scope, the target no longer judges it) gives <see cref="FindingOutcome.NotMeasured"/> and an
/// evidence without figures. Worked out only for the keys a run resolves, in <see cref="RunRecorder"/>: the rules' hot
/// path is untouched, and a met subject that had no open finding costs nothing.
/// </summary>
public static class ResolvingMeasure
{
    /// <summary>The evidence fields that are what a run read (values, figures, lists of units, the gap): a row that measured nothing keeps none of them.</summary>
    private static readonly string[] Figures =
    [
        "status", "values", "missing", "populationUnits", "reportedUnits", "metUnits", "missingUnits", "numerator", "denominator", "share", "shortUnits",
        "unitsNotReported", "gap", "earlyWarning",
    ];

    /// <summary>
    /// The measure and evidence of the row that resolves <paramref name="stored"/>: the run's own reading of the subject
    /// when it measured it (<paramref name="facts"/> null, for a caller that gives none, measures nothing).
    /// </summary>
    public static (Measurement Measurement, byte[] PackedEvidence) Of(Finding stored, ScopeFacts? facts, Func<int, UnitReport?> report, IReadOnlyList<AreaResultDraft> areas)
    {
        if (facts is null)
            return NotMeasured(stored, null);
        var (draft, because) = Measured(stored, facts, report, areas);
        return draft is not null ? (draft.Measurement, draft.PackedEvidence) : NotMeasured(stored, because);
    }

    /// <summary>The run's reading of the subject when it measured it; else why it did not (for a unit; null for an area, which no figure judges).</summary>
    private static (FindingDraft? Draft, NotMeasuredBecause? Because) Measured(Finding stored, ScopeFacts facts, Func<int, UnitReport?> report, IReadOnlyList<AreaResultDraft> areas)
    {
        if (stored.SubjectType == SubjectType.Unit)
        {
            // A unit the run did not load (closed before the period's last day, moved out of the scope) was not measured.
            if (report(stored.SubjectId) is not { } unit)
                return (null, NotMeasuredBecause.OutOfScope);
            NotMeasuredBecause? because = null;
            foreach (var target in facts.Targets)
            {
                if (target.Code != stored.TargetCode || !target.MeasuresUnits)
                    continue;
                if (!target.Includes(unit))
                {
                    // Why this target leaves the unit out; one that binds its area says more than one that binds another.
                    var why = target.BoundArea is { } boundArea && !unit.Unit.IsIn(boundArea.Id) ? NotMeasuredBecause.OutsideBoundArea
                        : target.Population.Mentions(unit.Unit.Kind) ? NotMeasuredBecause.TradeUnion
                        : NotMeasuredBecause.Kind;
                    because = because is null or NotMeasuredBecause.OutsideBoundArea ? why : because;
                    continue;
                }

                var measured = target.Measure(unit);
                return measured.FallsShort ? (null, null) : (FindingBuilder.UnitDraft(facts, new UnitShortfall(target, unit, measured)), null);
            }

            return (null, because ?? NotMeasuredBecause.TargetNotMeasured);
        }

        // An area: the run's figure over it, when it computed one that meets the target at a level the target is measured at.
        var figure = areas.FirstOrDefault(a => a.AreaId == stored.SubjectId && a.TargetCode == stored.TargetCode);
        if (figure is not { Status: AreaStatus.Met })
            return (null, null);
        var candidates = facts.Targets.Where(t => t.Code == stored.TargetCode && JudgedLevels.MeasuredAt(t.MeasuredOver, figure.AreaLevel)).ToList();
        var bound = candidates.Count <= 1 ? candidates.FirstOrDefault() : candidates.FirstOrDefault(t => t.BoundArea is null || Within(facts, figure.AreaId, t.BoundArea.Id));
        return (bound is null ? null : FindingBuilder.MetAreaDraft(facts, bound, figure), null);
    }

    /// <summary>Whether an area lies in another's subtree, by the path of a unit inside it (two sets defining one target for areas apart).</summary>
    private static bool Within(ScopeFacts facts, int areaId, int boundId) =>
        facts.Reports.FirstOrDefault(r => r.Unit.IsIn(areaId))?.Unit.Path is { } path && path.SkipWhile(a => a.Id != areaId).Any(a => a.Id == boundId);

    /// <summary>
    /// The row of a resolution that measured nothing: the test it was held to, no figure, the evidence's header without
    /// what was read, and why the run did not measure it (<see cref="FindingResolutions.EvidenceField"/>) when it knows.
    /// </summary>
    private static (Measurement, byte[]) NotMeasured(Finding stored, NotMeasuredBecause? because)
    {
        var m = stored.Measurement;
        var evidence = JsonNode.Parse(stored.Evidence)!.AsObject();
        foreach (var field in Figures)
            evidence.Remove(field);
        evidence["status"] = nameof(FindingOutcome.NotMeasured);
        evidence.Remove(FindingResolutions.EvidenceField);
        if (because is { } why)
            evidence[FindingResolutions.EvidenceField] = why.ToString();
        return (new Measurement(FindingOutcome.NotMeasured, null, null, null, m.Operator, m.ThresholdMillionths, m.Minimum),
            FindingBuilder.Pack(evidence));
    }
}

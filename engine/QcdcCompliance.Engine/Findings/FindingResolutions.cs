using System.Text.Json;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Findings;

/// <summary>
/// Why the run that resolved a finding did not measure its subject (<see cref="FindingOutcome.NotMeasured"/>), as that
/// run saw it: written into the resolving row's evidence (<c>notMeasured</c>) by <see cref="ResolvingMeasure"/>.
/// </summary>
public enum NotMeasuredBecause
{
    /// <summary>The run did not load the unit: it was not in the run's province (or scope) on the period's last day, moved away (a unit that closed reads <see cref="FindingResolution.UnitClosed"/>).</summary>
    OutOfScope,

    /// <summary>The unit's kind is not in the target's population (it changed kind: a commune made a ward's agency, an enterprise of another kind).</summary>
    Kind,

    /// <summary>The target counts the unit's kind only with a trade union, and the unit has none (it lost its union flag).</summary>
    TradeUnion,

    /// <summary>The unit's area is outside the area the target's set binds.</summary>
    OutsideBoundArea,

    /// <summary>No target of the code measures units in the run (the target dropped, or no longer judged unit by unit).</summary>
    TargetNotMeasured,
}

/// <summary>
/// The one rule that says why a resolved finding resolved, from what the run that resolved it read: its row's outcome
/// (<see cref="FindingOutcome.Met"/>: put right; <see cref="FindingOutcome.NotMeasured"/>: the run did not measure the
/// subject, so nothing was put right) and why it did not (<see cref="NotMeasuredBecause"/>), and, for a unit, whether it
/// closed (<see cref="ClosedUnits"/>) and whether the target still judges the subject (<see cref="UnjudgedSubjects"/>).
/// A unit the run did not measure because it left the target's population (moved out of the province, changed kind,
/// lost its union) left it, whatever the roll-ups say (a unit moved to another province sits under no roll-up of its old
/// one). A resolving row stored before rows held their run's reading (stop 54: it copied the shortfall's figures) reads
/// as it always did: put right, unless the unit closed or the target no longer judges it. Every reader asks it: the API,
/// <c>qcdc explain</c>, the CSV, the dashboard, the committees' digest.
/// </summary>
public static class FindingResolutions
{
    /// <summary>Why a finding in <paramref name="state"/> resolved; null while it is open.</summary>
    /// <param name="because">Why the resolving row's run did not measure the subject, as its evidence says (<see cref="Because"/>).</param>
    /// <param name="closedOn">For a unit, its last active day when it closed before the period's last day (<see cref="ClosedUnits.LeftOn"/>).</param>
    /// <param name="unjudged">Whether its target no longer judges its subject (<see cref="UnjudgedSubjects"/>).</param>
    public static FindingResolution? Of(FindingState state, SubjectType subject, FindingOutcome outcome, NotMeasuredBecause? because, DateOnly? closedOn, bool unjudged) =>
        state != FindingState.Resolved ? null
        : closedOn is not null ? FindingResolution.UnitClosed
        : outcome == FindingOutcome.NotMeasured && because is NotMeasuredBecause.OutOfScope or NotMeasuredBecause.Kind or NotMeasuredBecause.TradeUnion
            ? FindingResolution.LeftPopulation
        : unjudged ? FindingResolution.NoLongerEvaluated
        : outcome != FindingOutcome.NotMeasured ? FindingResolution.Remedied
        // The target no longer measures the unit, or binds another area: no longer judged. A unit's row that does not say
        // why (written at stop 54) left the population; an area the run gave no figure meeting the target is no longer judged.
        : subject == SubjectType.Unit && because is not (NotMeasuredBecause.TargetNotMeasured or NotMeasuredBecause.OutsideBoundArea)
            ? FindingResolution.LeftPopulation
        : FindingResolution.NoLongerEvaluated;

    /// <summary>The evidence field of a resolving row that did not measure its subject, naming why (<see cref="NotMeasuredBecause"/>).</summary>
    public const string EvidenceField = "notMeasured";

    /// <summary>
    /// Why the resolving row's run did not measure its subject, from its evidence; null when it does not say (an area's, a
    /// row of before). Lists read rows without their evidence but keep a NotMeasured row's (<see cref="FindingOrder.WithoutEvidence"/>).
    /// </summary>
    public static NotMeasuredBecause? Because(FindingOutcome outcome, string? evidence)
    {
        if (outcome != FindingOutcome.NotMeasured || string.IsNullOrEmpty(evidence))
            return null;
        try
        {
            using var json = JsonDocument.Parse(evidence);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(EvidenceField, out var why)
                   && why.ValueKind == JsonValueKind.String && Enum.TryParse<NotMeasuredBecause>(why.GetString(), out var because)
                ? because
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

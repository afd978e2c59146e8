using QcdcCompliance.Domain;

namespace QcdcCompliance.Decisions;

/// <summary>
/// A committee tries next year's targets on this year's data: a proposal dated to take effect later (a resolution for
/// 2021 says <c>"validFrom": "2021-01-01"</c>) binds nothing in 2020, and a what-if taken literally answered
/// "not-applicable" for every subject without saying why (probe 48). A what-if applies such a proposal as if it were in
/// force in the period: each target by the setting it first has after the period (or, for a set that ended before it,
/// its last), with the dates set aside.
/// </summary>
public static class ProposalInForce
{
    /// <summary>
    /// Whether the proposal is in force for the period as a run would read it (its set overlaps the period and each target
    /// has a setting in force on the period's last day). If not, it is made so, in place (the proposal was parsed for this
    /// what-if alone), and its own validity is returned for the answer to say; null when it was in force as written.
    /// </summary>
    public static ProposalValidity? Apply(Resolution proposal, Period period)
    {
        var byCode = proposal.Targets.GroupBy(t => t.Code, StringComparer.Ordinal).ToList();
        if (proposal.AppliesTo(period) && byCode.All(g => g.Any(t => t.InForceFor(period))))
            return null;

        var validity = new ProposalValidity(proposal.ValidFrom, proposal.ValidTo);
        var applied = new List<Target>();
        foreach (var settings in byCode)
        {
            var setting = settings.FirstOrDefault(t => proposal.AppliesTo(period) && t.InForceFor(period))
                          ?? settings.Where(t => From(proposal, t) > period.End).MinBy(t => From(proposal, t))
                          ?? settings.MaxBy(t => To(proposal, t));
            setting!.ValidFrom = null;
            setting.ValidTo = null;
            applied.Add(setting);
        }

        proposal.Targets = applied;
        proposal.ValidFrom = null;
        proposal.ValidTo = null;
        return validity;
    }

    /// <summary>The first day a setting is in force: its own, else its set's.</summary>
    private static DateOnly From(Resolution set, Target setting) => setting.ValidFrom ?? set.ValidFrom ?? DateOnly.MinValue;

    private static DateOnly To(Resolution set, Target setting) => setting.ValidTo ?? set.ValidTo ?? DateOnly.MaxValue;
}

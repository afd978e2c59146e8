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

        var never = new List<NeverInForce>();
        var applied = new List<Target>();
        foreach (var all in byCode)
        {
            // A setting that ends before it starts (the shipped set re-dated to 2021 keeps its "to": "2020-12-31" setting,
            // which now starts with the set) can never be in force: it is no candidate, or it would be "first after the period"
            // beside the real 2021 setting and judge next year's proposal by this year's minimum.
            var settings = all.Where(t => From(proposal, t) <= To(proposal, t)).ToList();
            never.AddRange(all.Except(settings).Select(t => new NeverInForce(t.Code, From(proposal, t), To(proposal, t))));
            if (settings.Count == 0)
                settings = all.ToList();
            var setting = settings.FirstOrDefault(t => proposal.AppliesTo(period) && t.InForceFor(period))
                          ?? settings.Where(t => From(proposal, t) > period.End).MinBy(t => From(proposal, t))
                          ?? settings.MaxBy(t => To(proposal, t));
            setting!.ValidFrom = null;
            setting.ValidTo = null;
            applied.Add(setting);
        }

        var validity = new ProposalValidity(proposal.ValidFrom, proposal.ValidTo) { NeverInForce = never };
        proposal.Targets = applied;
        proposal.ValidFrom = null;
        proposal.ValidTo = null;
        return validity;
    }

    private static DateOnly From(Resolution set, Target setting) => SettingDates.From(set, setting);

    private static DateOnly To(Resolution set, Target setting) => SettingDates.To(set, setting);
}

namespace QcdcCompliance.Domain;

/// <summary>
/// The days a target's setting is in force: its own dates, else its set's. One place for the what-if (which applies a
/// proposal dated later as if in force) and the targets import (which names a setting no period can be judged by).
/// </summary>
public static class SettingDates
{
    /// <summary>The first day a setting is in force: its own, else its set's.</summary>
    public static DateOnly From(Resolution set, Target setting) => setting.ValidFrom ?? set.ValidFrom ?? DateOnly.MinValue;

    /// <summary>The last day a setting is in force: its own, else its set's.</summary>
    public static DateOnly To(Resolution set, Target setting) => setting.ValidTo ?? set.ValidTo ?? DateOnly.MaxValue;

    /// <summary>
    /// The settings of a set that end before they start (with the set's own dates where they give none), which no period
    /// can be judged by: the shipped set re-dated to next year keeps its "to": "2020-12-31" setting, which now starts with the set.
    /// </summary>
    public static IReadOnlyList<NeverInForce> NeverInForceOf(Resolution set, IEnumerable<Target> settings) =>
        settings.Where(t => From(set, t) > To(set, t)).Select(t => new NeverInForce(t.Code, From(set, t), To(set, t))).ToList();
}

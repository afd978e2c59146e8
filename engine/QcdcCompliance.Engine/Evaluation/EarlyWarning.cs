using System.Globalization;
using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

public enum WarningKind
{
    /// <summary>The target can no longer be met even if every unit still missing complies.</summary>
    AtRisk,

    /// <summary>It can be met only if all, or nearly all (nine in ten), of the units still missing comply.</summary>
    NeedsAll,
}

/// <summary>
/// Early warning, while a period is open (its run started before the end of its reporting deadline, Viet Nam time): for
/// an area's share of units with units still missing, whether the target can still be met by them. The gap is the
/// number of them that must report and comply (<see cref="TargetGap"/> over the whole population). A ratio of counts
/// gets none: the counts of a unit not reported could be anything.
/// </summary>
public sealed record EarlyWarning(WarningKind Kind, long? Gap, int Missing)
{
    /// <summary>Whether the facts are measured before the period's deadline has passed.</summary>
    public static bool Open(ScopeFacts facts) => Open(facts.Period, facts.EvaluatedAt);

    /// <summary>Whether a period measured at <paramref name="evaluatedAt"/> is measured before its deadline has passed.</summary>
    public static bool Open(Period period, DateTime? evaluatedAt) => evaluatedAt is { } at && at <= VietnamTime.EndOfDayUtc(period.Deadline);

    public static EarlyWarning? Of(ScopeFacts facts, AreaOutcome area)
    {
        if (!Open(facts) || area.Missing == 0 || area.Target.Rule.IsRatio || !TargetGap.RaisesNumerator(area.Target.Threshold.Operator))
            return null;
        var gap = TargetGap.ToMeet(area.Target.Threshold, area.Numerator, area.Denominator + area.Missing);
        if (gap is null || gap > area.Missing)
            return new EarlyWarning(WarningKind.AtRisk, gap, area.Missing);
        return gap.Value * 10 >= area.Missing * 9L && gap > 0 ? new EarlyWarning(WarningKind.NeedsAll, gap, area.Missing) : null;
    }

    public string Code => Kind == WarningKind.AtRisk ? "at-risk" : "needs-all";

    public string Vietnamese(Period period) => Kind == WarningKind.AtRisk
        ? $"Nguy cơ không đạt: dù {Missing} đơn vị chưa báo cáo đều đạt vẫn không đủ ngưỡng (hạn báo cáo {Date(period.Deadline)})"
        : $"Cần gần như tất cả: {Gap} trong {Missing} đơn vị chưa báo cáo phải báo cáo và đạt trước hạn {Date(period.Deadline)}";

    public string English(Period period) => Kind == WarningKind.AtRisk
        ? $"At risk: the target cannot be met even if all {Missing} units not reported comply (deadline {Date(period.Deadline)})"
        : $"Needs all: {Gap} of the {Missing} units not reported must report and comply by {Date(period.Deadline)}";

    public JsonObject ToJson(Period period) => new()
    {
        ["kind"] = Code,
        ["gap"] = Gap,
        ["missingUnits"] = Missing,
        ["deadline"] = period.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["vi"] = Vietnamese(period),
        ["en"] = English(period),
    };

    private static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}

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
/// number of them that must report and comply (<see cref="TargetGap"/> over the whole population). Under a cap ("≤ 10%")
/// a unit complies by not being counted, so the arithmetic turns over: at risk when the units that reported and are
/// counted already pass the cap over the whole population; needs all when it holds only if all or nearly all of the
/// missing units report and are not counted. A ratio of counts gets none: the counts of a unit not reported could be anything.
/// </summary>
/// <param name="Cap">Whether the target is a cap (<see cref="TargetFact.IsCap"/>): its words say "passes the cap", not "falls short".</param>
public sealed record EarlyWarning(WarningKind Kind, long? Gap, int Missing, bool Cap = false)
{
    /// <summary>Whether the facts are measured before the period's deadline has passed.</summary>
    public static bool Open(ScopeFacts facts) => Open(facts.Period, facts.EvaluatedAt);

    /// <summary>Whether a period measured at <paramref name="evaluatedAt"/> is measured before its deadline has passed.</summary>
    public static bool Open(Period period, DateTime? evaluatedAt) => evaluatedAt is { } at && at <= VietnamTime.EndOfDayUtc(period.Deadline);

    public static EarlyWarning? Of(ScopeFacts facts, AreaOutcome area)
    {
        var target = area.Target;
        if (!Open(facts) || area.Missing == 0 || target.Rule.IsRatio)
            return null;
        // Every missing unit taken as not complying yet: out of the numerator for "≥" and ">", in it (counted) under a
        // cap. The gap is then how many of them must report and comply; more than there are, and none can save it.
        var gap = TargetGap.ToMeet(target.Threshold, target.IsCap ? area.Numerator + area.Missing : area.Numerator, area.Denominator + area.Missing);
        if (gap is null || gap > area.Missing)
            return new EarlyWarning(WarningKind.AtRisk, gap, area.Missing, target.IsCap);
        return gap.Value * 10 >= area.Missing * 9L && gap > 0 ? new EarlyWarning(WarningKind.NeedsAll, gap, area.Missing, target.IsCap) : null;
    }

    public string Code => Kind == WarningKind.AtRisk ? "at-risk" : "needs-all";

    public string Vietnamese(Period period) => (Kind, Cap) switch
    {
        (WarningKind.AtRisk, false) => $"Nguy cơ không đạt: dù {Missing} đơn vị chưa báo cáo đều đạt vẫn không đủ ngưỡng (hạn báo cáo {Date(period.Deadline)})",
        (WarningKind.AtRisk, true) => $"Nguy cơ không đạt: riêng các đơn vị đã báo cáo được tính vào tỷ lệ đã vượt ngưỡng tối đa, dù {Missing} đơn vị chưa báo cáo "
                                      + $"đều không được tính (hạn báo cáo {Date(period.Deadline)})",
        (_, false) => $"Cần gần như tất cả: {Gap} trong {Missing} đơn vị chưa báo cáo phải báo cáo và đạt trước hạn {Date(period.Deadline)}",
        (_, true) => $"Cần gần như tất cả: {Gap} trong {Missing} đơn vị chưa báo cáo phải báo cáo và đạt (không được tính vào tỷ lệ) trước hạn {Date(period.Deadline)}",
    };

    public string English(Period period) => (Kind, Cap) switch
    {
        (WarningKind.AtRisk, false) => $"At risk: the target cannot be met even if all {Missing} units not reported comply (deadline {Date(period.Deadline)})",
        (WarningKind.AtRisk, true) => $"At risk: the units reported and counted already pass the cap, even if none of the {Missing} units not reported is counted "
                                      + $"(deadline {Date(period.Deadline)})",
        (_, false) => $"Needs all: {Gap} of the {Missing} units not reported must report and comply by {Date(period.Deadline)}",
        (_, true) => $"Needs all: {Gap} of the {Missing} units not reported must report and comply (not be counted in the share) by {Date(period.Deadline)}",
    };

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

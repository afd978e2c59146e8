using System.Globalization;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Findings;

/// <summary>
/// An area's gap to its target in words, from the target's population and the indicators its rule reads: "cần thêm 1
/// doanh nghiệp ký thỏa ước lao động tập thể" / "1 more enterprise must comply: collective labour agreement in force";
/// "cần thêm 12 vụ việc hòa giải thành" / "12 more mediation cases settled". Written into the evidence when the finding
/// is built, so every reader (explain, the API, the dashboard) says the same.
/// <para>
/// With units not reported, only a share of units may promise the outcome: its gap counts them as not complying, so a gap
/// of 0 is met whatever they answer. A ratio of counts is over the counts reported, and the missing counts could be
/// anything: its figure so far is all it can state, and that the units not reported must report.
/// </para>
/// </summary>
public static class GapText
{
    public static string Vietnamese(TargetFact target, long? gap, int missing)
    {
        // Counts as the report writes them: 101.515, not 101515 beside a gap of 116.093.
        var m = missing.ToString("N0", VietnameseCulture);
        if (UnknownUntilReported(target, gap, missing))
            return (gap is null ? "chưa có số liệu để tính tỷ lệ" : "số liệu đã báo cáo đạt ngưỡng")
                   + $"; {m} đơn vị chưa báo cáo phải gửi đủ số liệu để đánh giá (số liệu của các đơn vị này có thể làm chỉ tiêu chưa đạt)";
        if (gap is null)
            return $"không thể đạt ngưỡng {target.Threshold} dù mọi đơn vị đều đạt";
        if (gap == 0)
            return $"đạt ngưỡng khi {m} đơn vị chưa báo cáo gửi đủ số liệu";
        var (noun, _, _) = Noun(target.Population);
        var verb = TargetGap.RaisesNumerator(target.Threshold.Operator) ? "cần thêm" : "cần giảm";
        var n = gap.Value.ToString("N0", VietnameseCulture);
        var what = target.Reads.Count == 0 ? null : target.Reads[0];
        var text = target.Rule.IsRatio && what is not null ? $"{verb} {n} {Lower(WithoutCount(what.NameVi))}"
            : target.Rule.NeedsMinimum && target.Reads.Count == 1 && what is not null
                ? $"{verb} {n} {noun} đạt ít nhất {target.Minimum} {Lower(WithoutCount(what.NameVi))}"
            : target.Reads.Count == 1 && what is { ValueType: IndicatorValueType.Boolean } ? $"{verb} {n} {noun} {Lower(what.NameVi)}"
            // Under a cap the units counted are those that must change, not those that "đạt".
            : target.IsCap ? $"{verb} {n} {noun} được tính vào tỷ lệ"
            : $"{verb} {n} {noun} đạt chỉ tiêu";
        if (missing > 0)
            // The gap of a share of units counts the units not reported as not complying: they are among the units the
            // gap asks for, never on top of them ("cần thêm 10 …; 9 chưa báo cáo" read as 19).
            text += target.Rule.IsRatio ? $" (chưa tính {m} đơn vị chưa báo cáo)" : $" ({m} đơn vị chưa báo cáo được tính là chưa đạt cho đến khi gửi đủ số liệu)";
        return text;
    }

    public static string English(TargetFact target, long? gap, int missing)
    {
        var m = missing.ToString("N0", CultureInfo.InvariantCulture);
        if (UnknownUntilReported(target, gap, missing))
            return (gap is null ? "nothing reported yet to compute the ratio from" : "the figures reported so far meet the threshold")
                   + $"; the {m} {(missing == 1 ? "unit" : "units")} not reported must report before it can be judged (their figures could still leave it short)";
        if (gap is null)
            return $"the threshold {target.Threshold} cannot be met even if every unit complies";
        if (gap == 0)
            return $"met once the {m} unit(s) not reported report";
        var (_, singular, plural) = Noun(target.Population);
        var more = TargetGap.RaisesNumerator(target.Threshold.Operator) ? "more" : "fewer";
        var n = gap.Value.ToString("N0", CultureInfo.InvariantCulture);
        var units = gap == 1 ? singular : plural;
        var what = target.Reads.Count == 0 ? null : target.Reads[0];
        // Under a cap the units counted ("yes", or reaching the minimum) are those that must be fewer.
        var text = target.Rule.IsRatio && what is not null ? $"{n} {more} {Lower(what.NameEn)}"
            : target.IsCap && target.Rule.NeedsMinimum && target.Reads.Count == 1 && what is not null
                ? $"{n} {more} {units} reaching {target.Minimum}: {Lower(what.NameEn)}"
            : target.Rule.NeedsMinimum && target.Reads.Count == 1 && what is not null
                ? $"{n} {more} {units} must reach at least {target.Minimum}: {Lower(what.NameEn)}"
            : target.IsCap && target.Reads.Count == 1 && what is { ValueType: IndicatorValueType.Boolean } ? $"{n} {more} {units} answering yes: {Lower(what.NameEn)}"
            : target.Reads.Count == 1 && what is { ValueType: IndicatorValueType.Boolean } ? $"{n} {more} {units} must comply: {Lower(what.NameEn)}"
            : target.IsCap ? $"{n} {more} {units} counted in the share"
            : $"{n} {more} {units} must meet the target";
        if (missing > 0)
            text += target.Rule.IsRatio
                ? $" (not counting the {m} {(missing == 1 ? "unit" : "units")} not reported)"
                : missing == 1 ? " (the 1 unit not reported counts as not complying until it reports)"
                : $" (the {m} units not reported count as not complying until they report)";
        return text;
    }

    /// <summary>
    /// A ratio with units not reported whose counts reported meet the threshold (gap 0) or hold no case (no gap: nothing
    /// to divide by): what the missing counts bring decides it, so nothing can be promised.
    /// </summary>
    private static bool UnknownUntilReported(TargetFact target, long? gap, int missing) =>
        target.Rule.IsRatio && missing > 0 && gap is null or 0;

    private static readonly CultureInfo VietnameseCulture = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>What the units of a population are called: its one kind, enterprises of both kinds, or units.</summary>
    private static (string Vi, string Singular, string Plural) Noun(Population population)
    {
        var kinds = Enum.GetValues<UnitKind>().Where(population.Mentions).ToList();
        if (kinds.Count == 2 && kinds.Contains(UnitKind.StateEnterprise) && kinds.Contains(UnitKind.NonStateEnterprise))
            return ("doanh nghiệp", "enterprise", "enterprises");
        if (kinds.Count != 1)
            return ("đơn vị", "unit", "units");
        return kinds[0] switch
        {
            UnitKind.Commune => ("xã", "commune", "communes"),
            UnitKind.StateAgency => ("cơ quan", "agency", "agencies"),
            UnitKind.PublicServiceUnit => ("đơn vị sự nghiệp", "public service unit", "public service units"),
            UnitKind.StateEnterprise => ("doanh nghiệp nhà nước", "state enterprise", "state enterprises"),
            UnitKind.NonStateEnterprise => ("doanh nghiệp", "enterprise", "enterprises"),
            UnitKind.ArmedForces => ("đơn vị lực lượng vũ trang", "armed-forces unit", "armed-forces units"),
            UnitKind.Village => ("thôn, tổ dân phố", "village", "villages"),
            _ => ("đơn vị", "unit", "units"),
        };
    }

    /// <summary>"Số vụ việc hòa giải thành" counts "vụ việc hòa giải thành".</summary>
    private static string WithoutCount(string name) => name.StartsWith("Số ", StringComparison.Ordinal) ? name[3..] : name;

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLower(text[0], CultureInfo.InvariantCulture) + text[1..];
}

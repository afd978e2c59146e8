using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;

namespace QcdcCompliance.Findings;

/// <summary>
/// What a target requires of one unit, in Vietnamese, as the unit alert and <c>qcdc explain</c> both say it: a unit has
/// no share, so the requirement is what it must do ("ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở"), the count it
/// must reach ("ít nhất 12 trong kỳ") or, for the reporting target, to report everything on time.
/// </summary>
public static class UnitRequirement
{
    public const string Reporting = "báo cáo đầy đủ các nội dung áp dụng cho đơn vị, đúng hạn";

    /// <param name="read">The codes of the indicators the target read of the unit, in the evidence's order.</param>
    /// <param name="share">The requirement as a share, for a unit measured as a ratio of its own counts (people informed).</param>
    public static string Vietnamese(string targetCode, Measurement measurement, IReadOnlyList<string> read, Func<string> share)
    {
        if (targetCode == ReportingTarget.Code)
            return Reporting;
        if (measurement.Minimum is { } minimum)
            return $"ít nhất {minimum.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN"))} trong kỳ";
        if (measurement.Denominator is not > 1 && read.Count > 0 && read.All(c => IndicatorCatalogue.Find(c)?.ValueType == IndicatorValueType.Boolean))
            return string.Join("; ", read.Select(c => IndicatorCatalogue.Find(c)!.NameVi).Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
        return share();
    }
}

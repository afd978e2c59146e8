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
            return string.Join("; ", read.Select(c => InSentence(IndicatorCatalogue.Find(c)!.NameVi)));
        return share();
    }

    /// <summary>
    /// An indicator's name inside a sentence: its first letter lower-cased ("ban hành đầy đủ quy chế…") unless its first
    /// word begins a proper name ("Ban Thanh tra nhân dân…": the next word capitalised) or is an abbreviation ("UBND").
    /// </summary>
    public static string InSentence(string name)
    {
        var words = name.Split(' ', 3);
        var properName = words.Length > 1 && words[1].Length > 0 && char.IsUpper(words[1][0]);
        var abbreviation = words[0].Skip(1).Any(char.IsUpper);
        return name.Length == 0 || properName || abbreviation ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }
}

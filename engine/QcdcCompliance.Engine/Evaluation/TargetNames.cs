using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// The short name prose, screens and refusals call a target by, carried by its target set ("Chỉ tiêu 6b: thỏa ước lao
/// động tập thể ở doanh nghiệp ngoài nhà nước"); the target's text when the set gives none; in English its English name
/// or text, else the Vietnamese. One rule for the report and the dashboard (<c>Reports.ReportWording</c>) and for the
/// refusals of the imports and runs a sign-off locks (<c>Import.SignedTargets</c>), which cannot use the report's words.
/// Codes stay in appendix tables, machine outputs and the API.
/// </summary>
public static class TargetNames
{
    /// <summary>The name from a target's four words.</summary>
    public static string Of(string? nameVi, string textVi, string? nameEn, string? textEn, bool english) =>
        english ? nameEn ?? textEn ?? nameVi ?? textVi : nameVi ?? textVi;

    /// <summary>
    /// The name of a stored target; when none is stored, the built-in REPORTED's ("Báo cáo đầy đủ"), else
    /// <paramref name="fallbackVi"/>, else the code.
    /// </summary>
    public static string Of(Target? target, string code, bool english, string? fallbackVi = null) => target is null
        ? code == ReportingTarget.Code ? english ? "Reporting in full" : "Báo cáo đầy đủ" : fallbackVi ?? code
        : Of(target.NameVi, target.TextVi, target.NameEn, target.TextEn, english);

    /// <summary>The name of a target as an evaluation reads it.</summary>
    public static string Of(TargetFact target, bool english) => Of(target.NameVi, target.TextVi, target.NameEn, target.TextEn, english);
}

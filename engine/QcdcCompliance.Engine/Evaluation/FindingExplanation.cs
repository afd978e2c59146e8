using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using QcdcCompliance.Domain;

namespace QcdcCompliance.Evaluation;

/// <summary>A finding's evidence in words, Vietnamese first, then English (for <c>qcdc explain</c>, e-mails and pages).</summary>
public static class FindingExplanation
{
    public static string Render(FindingView f, string? targetTextVi, string? targetTextEn)
    {
        var e = JsonNode.Parse(f.Evidence)!.AsObject();
        var text = new StringBuilder();
        Vietnamese(text, f, e, targetTextVi);
        text.AppendLine();
        English(text, f, e, targetTextEn);
        return text.ToString();
    }

    private static void Vietnamese(StringBuilder text, FindingView f, JsonObject e, string? targetText)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"Phát hiện #{f.Id}: chỉ tiêu {f.TargetCode}, kỳ {f.Period}");
        if (targetText is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Chỉ tiêu: {targetText}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Đối tượng: {Subject(f, e, vietnamese: true)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Trạng thái: {StateVi(f.State)} (xuất hiện từ lần đánh giá #{f.FirstRunId}, ghi nhận ở lần #{f.RunId}); mức độ {SeverityVi(f.Severity)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Kết quả: {Measure(f, e, vietnamese: true)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Yêu cầu: {Requirement(f, vietnamese: true)}");
        if (e["missing"] is JsonArray { Count: > 0 } missing)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Chưa báo cáo: {string.Join(", ", missing.Select(m => m!.GetValue<string>()))}");
        if (e["shortUnits"] is JsonArray { Count: > 0 } shortUnits)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Các đơn vị chưa đạt ({shortUnits.Count}): {string.Join(", ", shortUnits.Select(m => m!.GetValue<string>()))}");
        if (e["legalBasis"] is JsonArray { Count: > 0 } basis)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Căn cứ: {string.Join("; ", basis.Select(b => b!.GetValue<string>()))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Luật đánh giá: {e["rule"]} (nghị quyết {e["resolution"]}), phiên bản bộ luật {e["ruleSetVersion"]}");
    }

    private static void English(StringBuilder text, FindingView f, JsonObject e, string? targetText)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"Finding #{f.Id}: target {f.TargetCode}, period {f.Period}");
        if (targetText is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Target: {targetText}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Subject: {Subject(f, e, vietnamese: false)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  State: {f.State} (first seen in run #{f.FirstRunId}, recorded by run #{f.RunId}); severity {f.Severity}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Measured: {Measure(f, e, vietnamese: false)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Required: {Requirement(f, vietnamese: false)}");
        if (e["missing"] is JsonArray { Count: > 0 } missing)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Not reported: {string.Join(", ", missing.Select(m => m!.GetValue<string>()))}");
        if (e["shortUnits"] is JsonArray { Count: > 0 } shortUnits)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Units short ({shortUnits.Count}): {string.Join(", ", shortUnits.Select(m => m!.GetValue<string>()))}");
        if (e["legalBasis"] is JsonArray { Count: > 0 } basis)
            text.AppendLine(CultureInfo.InvariantCulture, $"  Legal basis: {string.Join("; ", basis.Select(b => b!.GetValue<string>()))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Rule: {e["rule"]} (resolution {e["resolution"]}), rule-set version {e["ruleSetVersion"]}");
    }

    private static string Subject(FindingView f, JsonObject e, bool vietnamese)
    {
        if (f.SubjectType == SubjectType.Area)
            return vietnamese ? $"địa bàn {f.SubjectCode} ({f.SubjectName})" : $"area {f.SubjectCode} ({f.SubjectName})";
        var path = e["unit"]?["path"] is JsonArray p ? string.Join(" › ", p.Select(x => x!.GetValue<string>())) : "";
        return vietnamese ? $"đơn vị {f.SubjectCode} ({f.SubjectName}), địa bàn {path}" : $"unit {f.SubjectCode} ({f.SubjectName}), in {path}";
    }

    private static string Measure(FindingView f, JsonObject e, bool vietnamese)
    {
        if (f.SubjectType == SubjectType.Area)
        {
            var share = e["share"]?.GetValue<string>();
            return vietnamese
                ? $"{e["numerator"]}/{e["denominator"]} = {share ?? "không tính được"} ({e["metUnits"]} trên {e["populationUnits"]} đơn vị đạt, {e["missingUnits"]} chưa báo cáo)"
                : $"{e["numerator"]}/{e["denominator"]} = {share ?? "not computable"} ({e["metUnits"]} of {e["populationUnits"]} units met, {e["missingUnits"]} not reported)";
        }

        if (e["values"] is not JsonObject values || values.Count == 0)
            return vietnamese ? $"thiếu {f.Value} chỉ tiêu" : $"{f.Value} indicator(s) missing";
        return string.Join(", ", values.Select(kv => $"{kv.Key} = {(kv.Value is null ? (vietnamese ? "chưa báo cáo" : "not reported") : kv.Value.ToJsonString())}"));
    }

    private static string Requirement(FindingView f, bool vietnamese)
    {
        var share = new Threshold(f.Operator, f.ThresholdMillionths).ToString();
        if (f.SubjectType == SubjectType.Unit && f.Minimum is { } minimum)
            return vietnamese ? $"ít nhất {minimum} trong kỳ; tỷ lệ đơn vị đạt {share}" : $"at least {minimum} in the period; share of units {share}";
        return vietnamese ? $"tỷ lệ {share}" : $"share {share}";
    }

    public static string StateVi(FindingState state) => state switch
    {
        FindingState.New => "Mới",
        FindingState.Persisting => "Tiếp diễn",
        _ => "Đã khắc phục",
    };

    public static string SeverityVi(Severity severity) => severity switch
    {
        Severity.High => "cao",
        Severity.Medium => "trung bình",
        _ => "thấp",
    };
}

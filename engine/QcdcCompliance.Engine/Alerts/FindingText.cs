using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;

namespace QcdcCompliance.Alerts;

/// <summary>What an e-mail says of one finding, whether it comes from a run's draft or from a stored row.</summary>
public sealed record AlertFinding(
    string TargetCode,
    SubjectType SubjectType,
    int SubjectId,
    string SubjectCode,
    string SubjectName,
    Severity Severity,
    Measurement Measurement,
    string Evidence)
{
    public bool IsReporting => TargetCode == ReportingTarget.Code;

    public static AlertFinding From(FindingDraft d) => new(d.TargetCode, d.SubjectType, d.SubjectId, d.SubjectCode, d.SubjectName, d.Severity,
        d.Measurement, d.Evidence);

    public static AlertFinding From(Finding f, string subjectName) => new(f.TargetCode, f.SubjectType, f.SubjectId, f.SubjectCode, subjectName, f.Severity,
        f.Measurement, f.Evidence);
}

/// <summary>A finding in Vietnamese words: what was measured against what was required.</summary>
public static class FindingText
{
    /// <summary>"NQ02-1 — 100% cơ quan, đơn vị ... ": the code and the target's text as the resolution writes it.</summary>
    public static string Target(string code, IReadOnlyDictionary<string, string> targetTexts) =>
        targetTexts.TryGetValue(code, out var text) ? $"{code} — {text}" : code;

    public static string Measured(AlertFinding f)
    {
        var evidence = JsonNode.Parse(f.Evidence)?.AsObject() ?? [];
        if (f.SubjectType == SubjectType.Area)
        {
            var (met, population) = ((long?)evidence["metUnits"], (long?)evidence["populationUnits"]);
            // Counted in units already when the share is a share of units.
            var units = population is null || (met == f.Measurement.Numerator && population == f.Measurement.Denominator)
                ? ""
                : $"; {Vietnamese.Number(met ?? 0)}/{Vietnamese.Number(population.Value)} đơn vị đạt";
            if (f.Measurement.Outcome == FindingOutcome.Incomplete)
            {
                var (reported, notReported) = ((long?)evidence["reportedUnits"] ?? 0, (long?)evidence["missingUnits"] ?? 0);
                var soFar = f.Measurement.Denominator is > 0
                    ? $"; tỷ lệ đến nay {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)})"
                    : "";
                return $"chưa đủ số liệu: {Vietnamese.Number(reported)}/{Vietnamese.Number(reported + notReported)} đơn vị đã báo cáo, {Vietnamese.Number(notReported)} đơn vị chưa báo cáo{soFar}";
            }

            return f.Measurement.Denominator is > 0
                ? $"tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)} ({Vietnamese.Number(f.Measurement.Numerator ?? 0)}/{Vietnamese.Number(f.Measurement.Denominator.Value)}){units}"
                : $"không tính được tỷ lệ{units}";
        }

        var missing = evidence["missing"] is JsonArray m ? m.Select(x => x!.GetValue<string>()).ToList() : [];
        if (f.IsReporting)
            return $"chưa báo cáo {missing.Count} chỉ tiêu: {string.Join(", ", missing.Select(IndicatorName))}";

        var values = evidence["values"] is JsonObject v
            ? v.Select(kv => $"{IndicatorName(kv.Key)}: {Value(kv.Key, kv.Value)}").ToList()
            : [];
        var text = values.Count > 0 ? string.Join("; ", values) : "không có số liệu";
        return f.Measurement.Denominator is > 1 ? $"{text} (tỷ lệ {Vietnamese.Percent(f.Measurement.Numerator ?? 0, f.Measurement.Denominator.Value)})" : text;
    }

    public static string Required(AlertFinding f)
    {
        if (f.IsReporting)
            return "báo cáo đầy đủ các chỉ tiêu áp dụng cho đơn vị";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Minimum is { } minimum)
            return $"ít nhất {Vietnamese.Number(minimum)} trong kỳ";
        if (f.SubjectType == SubjectType.Unit && f.Measurement.Denominator is not > 1)
            return "có (đã thực hiện)";
        return $"tỷ lệ {Vietnamese.Threshold(f.Measurement.Operator, f.Measurement.ThresholdMillionths)}";
    }

    private static string IndicatorName(string code) => IndicatorCatalogue.Find(code)?.NameVi ?? code;

    private static string Value(string code, JsonNode? node)
    {
        if (node is null)
            return "chưa báo cáo";
        var value = node.GetValue<long>();
        return IndicatorCatalogue.Find(code)?.ValueType switch
        {
            IndicatorValueType.Boolean => value == 1 ? "có" : "không",
            IndicatorValueType.Percentage => (value / 100m).ToString("0.##", Vietnamese.Culture) + "%",
            IndicatorValueType.Amount => Vietnamese.Number(value) + " đồng",
            _ => Vietnamese.Number(value),
        };
    }
}

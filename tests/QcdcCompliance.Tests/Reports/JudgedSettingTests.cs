using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// A verdict is shown with the setting it was judged by: re-importing a changed set, without a new run, does not put the
/// new threshold and text beside the old run's verdicts in the report or in <c>explain</c> (probe 48).
/// </summary>
public sealed class JudgedSettingTests(ITestOutputHelper output)
{
    /// <summary>
    /// Mediation in P under the committee's "≥ 70%": D1 settles 14 of 20 (exactly 70%, met), D2 5 of 10 (short), the
    /// province 19 of 30 (short). Every complaint is resolved: complaints (≥ 85%) has no finding at all.
    /// </summary>
    private const string Mediation = Province.ValuesHeader +
        """
        XA1,2020S1,MEDIATION_CASES,10,
        XA1,2020S1,MEDIATION_SUCCESSES,7,
        XA2,2020S1,MEDIATION_CASES,10,
        XA2,2020S1,MEDIATION_SUCCESSES,7,
        XA3,2020S1,MEDIATION_CASES,10,
        XA3,2020S1,MEDIATION_SUCCESSES,5,
        XA1,2020S1,COMPLAINTS_RECEIVED,10,
        XA1,2020S1,COMPLAINTS_RESOLVED,10,
        XA2,2020S1,COMPLAINTS_RECEIVED,10,
        XA2,2020S1,COMPLAINTS_RESOLVED,10,
        XA3,2020S1,COMPLAINTS_RECEIVED,10,
        XA3,2020S1,COMPLAINTS_RESOLVED,10,
        CQ1,2020S1,COMPLAINTS_RECEIVED,10,
        CQ1,2020S1,COMPLAINTS_RESOLVED,10,

        """;

    private const string NewText = "Tỷ lệ hòa giải thành trên 70% (mức mới)";

    /// <summary>The committee's set again with mediation at "trên 70%" (strictly more) and a new text.</summary>
    private static byte[] StricterSet()
    {
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("committee", StringComparison.Ordinal)).Content)!.AsObject();
        var mediation = set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!;
        mediation["operator"] = ">";
        mediation["textVi"] = NewText;
        return Encoding.UTF8.GetBytes(set.ToJsonString());
    }

    /// <summary>The appendix row of D1's mediation figure (14/20): its threshold and verdict cells.</summary>
    private static (string Threshold, string Verdict) D1Row(string html)
    {
        var cells = System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "(<[^>]+>)+", "|"));
        var row = Regex.Match(cells, @"\|Huyện Một\|[^|]*\|[^|]*\|[^|]*\|14\|20\|(?<threshold>[^|]*)\|70,0%\|(?<verdict>[^|]*)\|");
        row.Success.Should().BeTrue("the mediation appendix has D1's row");
        return (row.Groups["threshold"].Value, row.Groups["verdict"].Value);
    }

    [Fact]
    public async Task After_a_changed_set_is_imported_the_report_and_explain_show_the_old_runs_verdicts_with_the_setting_they_were_judged_by()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Mediation);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var reports = engine.Services.GetRequiredService<ReviewReports>();
        async Task<string> HtmlAsync() => Encoding.UTF8.GetString((await reports.WriteAsync("2020S1", "P", ReportFormat.Html, ReportLanguage.Vi)).Content);

        D1Row(await HtmlAsync()).Should().Be(("≥\u00a070%", "Đạt"));

        // The set changes; the period is not evaluated again.
        await engine.ImportTargetsAsync("committee-kpis.json", StricterSet(), "P");
        var html = await HtmlAsync();
        D1Row(html).Should().Be(("≥\u00a070%", "Đạt"), "70% met '≥ 70%', the setting run 1 judged by; '> 70%' beside 'Đạt' would contradict it");
        // Complaints: run 1 recorded no finding of it, so no threshold it judged by is known; today's is not shown as if it were.
        var cells = System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "(<[^>]+>)+", "|"));
        cells.Should().MatchRegex(@"\|Huyện Một\|[^|]*\|[^|]*\|[^|]*\|30\|30\|không rõ \(bộ chỉ tiêu đã thay đổi\)\|");
        System.Net.WebUtility.HtmlDecode(html).Should().Contain(
            "Lưu ý: bộ chỉ tiêu theo Chỉ tiêu theo dõi của Ban Chỉ đạo tỉnh đã được nhập lại sau lần đánh giá trên, đổi yêu cầu của tỷ lệ hòa giải thành từ ≥\u00a070% thành >\u00a070%.");
        var explain = await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020S1", "--target", "KPI-MEDIATION", "--subject", "D2");
        output.WriteLine(explain);
        explain.Should().Contain("Chỉ tiêu: bộ chỉ tiêu theo Chỉ tiêu theo dõi của Ban Chỉ đạo tỉnh đã được nhập lại sau lần đánh giá #1; nội dung chỉ tiêu khi đánh giá không được lưu")
            .And.Contain("Target: the target set of Chỉ tiêu theo dõi của Ban Chỉ đạo tỉnh was imported again after run #1;")
            .And.NotContain("KPI-BCD", "the set is named as the report's note names it, not by its code")
            .And.Contain("Yêu cầu: tỷ lệ >= 70%").And.NotContain(NewText, "the new set's text is not the one run 1 judged by");

        // Evaluated again: the new setting, its text, and no note.
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        html = await HtmlAsync();
        D1Row(html).Should().Be((">\u00a070%", "Chưa đạt"));
        System.Net.WebUtility.HtmlDecode(html).Should().NotContain("đã được nhập lại sau lần đánh giá");
        explain = await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020S1", "--target", "KPI-MEDIATION", "--subject", "D2");
        explain.Should().Contain($"Chỉ tiêu: {NewText}").And.Contain("Yêu cầu: tỷ lệ > 70%");
    }
}

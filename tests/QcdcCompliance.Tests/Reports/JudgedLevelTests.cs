using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// A target measured over districts and the province (NQ02-6b: "share per district and province") is judged at no
/// commune: no run makes a commune's share a finding, so no surface may give it a verdict. Every surface shows the
/// commune's figure as information only ("không đánh giá ở cấp này"), never among its short targets, never a remedial
/// task, and the CLI's table agrees with its header and exit code (review rev55-edges, 2).
/// </summary>
public sealed class JudgedLevelTests(ITestOutputHelper output)
{
    private const string Areas =
        """
        code,name,level,parent_code,valid_from,valid_to
        Q,Tỉnh Thử Cấp,Province,,,
        QD,Huyện Một,District,Q,,
        QX1,Xã Một,Commune,QD,,
        QX2,Xã Hai,Commune,QD,,

        """;

    // Three non-state enterprises with a union in each commune: QX1 signed 2 of 3 (66,7%, not "trên 70%"), QX2 3 of 3,
    // so the district and the province have 5 of 6 (83,3%) and meet NQ02-6b. Nothing else falls short in the year.
    private static readonly string[] Enterprises = ["DN11", "DN12", "DN13", "DN21", "DN22", "DN23"];

    private static string Units => Province.UnitsHeader + string.Concat(
        Enterprises.Select(c => $"{c},Công ty {c},NonStateEnterprise,QX{c[2]},true,20,,,\n"));

    private static string Values => Province.ValuesHeader + string.Concat(Enterprises.Select(c =>
        $"{c},2020,CLA_SIGNED,{(c == "DN13" ? "false" : "true")},\n{c},2020,WORKER_CONFERENCE_HELD,true,\n{c},2020,WORKPLACE_DIALOGUES,4,\n"));

    private static async Task<Engine> ProvinceAsync()
    {
        var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Units);
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        // What the runs judged: no finding of NQ02-6b anywhere (the district and the province meet it; a commune is not judged).
        (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-6b" })).Should().BeEmpty();
        return engine;
    }

    [Fact]
    public async Task The_api_and_the_dashboard_show_a_communes_share_of_a_district_target_as_not_judged_at_its_level()
    {
        await using var engine = await ProvinceAsync();
        await using var host = await DashboardHost.StartAsync(engine.Storage, await DashboardHost.KeysAsync(engine.Storage, "Q", "QD"), realSocket: false);
        var client = host.Client("committee-key");

        JsonElement SixB(JsonElement compliance) => compliance.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "NQ02-6b");
        var commune = SixB(JsonDocument.Parse(await client.GetStringAsync("/api/compliance?period=2020&area=QX1")).RootElement).GetProperty("area");
        commune.GetProperty("status").GetString().Should().Be("NotJudged", "no run judges a commune on a target measured over districts and the province");
        (commune.GetProperty("numerator").GetInt64(), commune.GetProperty("denominator").GetInt64()).Should().Be((2L, 3L), "the figure is still shown");

        var district = SixB(JsonDocument.Parse(await client.GetStringAsync("/api/compliance?period=2020&area=QD")).RootElement);
        district.GetProperty("area").GetProperty("status").GetString().Should().Be("Met");
        district.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("status").GetString()).Should().AllBe("NotJudged");

        // The district's list of communes: the commune falls short of no target judged at its level.
        var overview = WebUtility.HtmlDecode(await client.GetStringAsync("/?period=2020&area=QD"));
        var row = Regex.Match(overview, "<tr data-area=\"QX1\">.*?</tr>", RegexOptions.Singleline).Value;
        Regex.Match(row, "<span class=\"(up|down)\">(\\d+)/(\\d+)</span>").Groups[2].Value.Should().Be("0", row);

        // The commune's own page: the figure, worded as no verdict, in Vietnamese and in English.
        foreach (var (lang, words, verdict) in new[] { ("", "Không đánh giá ở cấp này", "Chưa đạt"), ("&lang=en", "Not judged at this level", "Short") })
        {
            var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/?period=2020&area=QX1{lang}"));
            var target = Regex.Match(page, "<tr data-target=\"NQ02-6b\">.*?</tr>", RegexOptions.Singleline).Value;
            output.WriteLine(Regex.Replace(target, "<[^>]+>", " "));
            target.Should().Contain("66,7%".Replace(",", lang == "" ? "," : ".")).And.Contain(words).And.NotContain($">{verdict}<");
            page.Should().Contain(lang == "" ? "không đánh giá ở cấp này" : "not judged at this level", "the card counts it apart from the targets met");
        }

        // The target page of the commune: its status card.
        var targetPage = WebUtility.HtmlDecode(await client.GetStringAsync("/targets/NQ02-6b?period=2020&area=QX1"));
        targetPage.Should().Contain("data-status=\"NotJudged\"").And.NotContain("data-status=\"Short\"");
    }

    [Fact]
    public async Task A_communes_report_neither_lists_nor_tasks_it_with_a_district_target_and_the_districts_report_names_no_commune_short()
    {
        await using var engine = await ProvinceAsync();
        var overviews = ActivatorUtilities.CreateInstance<OverviewQueries>(engine.Services);
        var reports = ActivatorUtilities.CreateInstance<ReviewReports>(engine.Services,
            ActivatorUtilities.CreateInstance<ReviewReportQueries>(engine.Services, overviews), new ReviewReportOptions());

        async Task<string> TextAsync(string area, ReportLanguage language)
        {
            var file = await reports.WriteAsync("2020", area, ReportFormat.Docx, language);
            using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
            return ReportReading.Text(doc);
        }

        var commune = await TextAsync("QX1", ReportLanguage.Vi);
        output.WriteLine(commune);
        commune.Should().NotContain("Các chỉ tiêu chưa đạt", "the commune falls short of no target judged at its level")
            .And.NotContain("Chỉ đạo nâng chỉ tiêu 6b", "no remedial task for a share no run judged")
            .And.NotContain("chỉ tiêu 6b (thỏa ước lao động tập thể ở doanh nghiệp ngoài nhà nước): 2/3")
            .And.Contain("0 chỉ tiêu chưa đạt")
            .And.Contain("không đánh giá ở cấp này");
        (await TextAsync("QX1", ReportLanguage.En)).Should().NotContain("Targets short:").And.Contain("not judged at this level");

        var district = await TextAsync("QD", ReportLanguage.Vi);
        output.WriteLine(district);
        district.Should().NotContain("địa bàn chưa đạt: xã Một", "the commune's share is not a shortfall of the district's")
            .And.NotContain("tập trung ở xã Một");
    }

    [Fact]
    public async Task The_cli_evaluate_table_shows_the_communes_share_as_not_judged_consistently_with_its_header_and_exit_code()
    {
        await using var engine = await ProvinceAsync();
        var run = await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020", "--area", "QX1", "--fail-on-findings");
        output.WriteLine(run.Output);
        run.Output.Should().Contain("QX1 Xã Một: 0 open findings");
        run.ExitCode.Should().Be(0, "the commune has no finding");
        var row = run.Output.Split('\n').Single(l => l.StartsWith("NQ02-6b ", StringComparison.Ordinal));
        row.Should().Contain("66.67%").And.Contain("not judged here").And.NotContain("SHORT");
        run.Output.Split('\n').Should().NotContain(l => l.Contains("SHORT", StringComparison.Ordinal), "nothing in the commune is short under a header of no open findings");

        // The district meets the target: its row is a verdict.
        var districtRun = await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020", "--area", "QD");
        districtRun.Output.Split('\n').Single(l => l.StartsWith("NQ02-6b ", StringComparison.Ordinal)).Should().EndWith("met");
    }

    [Fact]
    public async Task The_target_page_words_an_area_finding_as_explain_does_in_both_languages()
    {
        // The year restates NQ02-1 over the district and the province, which have no second-half answers: both incomplete.
        await using var engine = await ProvinceAsync();
        await using var host = await DashboardHost.StartAsync(engine.Storage, await DashboardHost.KeysAsync(engine.Storage, "Q", "QD"), realSocket: false);
        var client = host.Client("committee-key");
        var explain = (await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020", "--target", "NQ02-1", "--subject", "QD")).Replace("\r", "");
        var (vi, en) = (explain[..explain.IndexOf("\n\n", StringComparison.Ordinal)].Trim(), explain[explain.IndexOf("\n\n", StringComparison.Ordinal)..].Trim());
        vi.Should().StartWith("Phát hiện #").And.Contain(": chỉ tiêu 1 (").And.Contain("bộ chỉ tiêu theo Nghị quyết 02-NQ/TU");

        foreach (var (lang, expected) in new[] { ("", vi), ("&lang=en", en) })
        {
            var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/targets/NQ02-1?period=2020&area=Q{lang}"));
            var block = Regex.Matches(page, "<details>\\s*<summary>Huyện Một:.*?<pre>(.*?)</pre>", RegexOptions.Singleline).Single().Groups[1].Value;
            var evidence = block.Replace("\r", "").Trim();
            output.WriteLine(evidence);
            evidence.Should().Be(expected, "the page shows the evidence explain gives, the target and its set named in words");
            evidence.Should().NotContain("nQ02").And.NotContain("theo 02-NQ/TU").And.NotContain("of 02-NQ/TU");
        }

        // Without the stored sets to name it, a target is written as its code, never lower-cased at the start of a sentence.
        var finding = (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-1" })).First(f => f.SubjectCode == "QD");
        FindingExplanation.Render(finding, null, vietnamese: true).Should().StartWith($"Phát hiện #{finding.Id}: NQ02-1, năm 2020");
    }
}

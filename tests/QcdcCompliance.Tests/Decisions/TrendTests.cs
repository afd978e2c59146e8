using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>Trends: every evaluated period of a target over an area, with its changes, across the 2025 reform's lineage.</summary>
public sealed class TrendTests
{
    /// <summary>District D1 is abolished on 1/7/2025 (its successor is the province); its communes C1 and C2 merge into CN.</summary>
    private const string Areas =
        """
        code,name,level,parent_code,valid_from,valid_to
        P,Tỉnh Thử,Province,,,
        D1,Huyện Một,District,P,,2025-06-30
        C1,Xã Một,Commune,D1,,2025-06-30
        C2,Xã Hai,Commune,D1,,2025-06-30
        CN,Xã Mới,Commune,P,2025-07-01,

        """;

    private const string Lineage = "predecessor_code,successor_code,effective_from\nD1,P,2025-07-01\nC1,CN,2025-07-01\nC2,CN,2025-07-01\n";

    private const string Units = Province.UnitsHeader + "XA1,UBND Xã Một,Commune,C1,true,30,,,\nXA2,UBND Xã Hai,Commune,C2,true,25,,,\nCQ1,Phòng Nội vụ,StateAgency,C1,true,10,,,\n";

    /// <summary>Regulations issued: 1 of 3 in 2024S1, 2 of 3 in 2024S2 and 2025S1, 3 of 3 from 2025S2.</summary>
    private static readonly Dictionary<string, string[]> Issued = new()
    {
        ["2024S1"] = ["XA1"], ["2024S2"] = ["XA1", "XA2"], ["2025S1"] = ["XA1", "CQ1"], ["2025S2"] = ["XA1", "XA2", "CQ1"], ["2026S1"] = ["XA1", "XA2", "CQ1"],
    };

    /// <summary>The province of <see cref="Areas"/> with the regulations of <see cref="Issued"/>, every period evaluated.</summary>
    private static async Task<Engine> ReformedProvinceAsync()
    {
        var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcDecisions());
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Areas);
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", Lineage);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Units);
        await engine.LoadTargetSetsAsync();
        var values = Province.ValuesHeader + string.Concat(Issued.SelectMany(p => new[] { "XA1", "XA2", "CQ1" }
            .Select(u => $"{u},{p.Key},REGULATION_ISSUED,{(p.Value.Contains(u) ? "true" : "false")},\n")));
        await engine.ImportAsync(ImportKind.Values, "values.csv", values);
        foreach (var period in Issued.Keys)
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
        return engine;
    }

    [Fact]
    public async Task A_merged_commune_continues_its_predecessors_series_and_an_abolished_district_ends_naming_its_successor()
    {
        await using var engine = await ReformedProvinceAsync();
        var issued = Issued;
        var trends = engine.Services.GetRequiredService<TrendQueries>();

        var merged = await trends.ForAsync("CN", "nq02-1");
        merged.Points.Select(p => (p.Period, string.Join("+", p.MeasuredOver), p.Numerator, p.Denominator, p.Status)).Should().Equal(
            ("2024S1", "C1+C2", 1L, 3L, AreaStatus.Short),
            ("2024S2", "C1+C2", 2L, 3L, AreaStatus.Short),
            ("2025S1", "C1+C2", 2L, 3L, AreaStatus.Short),
            ("2025S2", "CN", 3L, 3L, AreaStatus.Met),
            ("2026S1", "CN", 3L, 3L, AreaStatus.Met));
        var s2025 = merged.Points.Single(p => p.Period == "2025S2");
        s2025.ChangeFromPreviousPeriod.Should().Be(33.3m, "3/3 against 2/3: 33,33 points, rounded once");
        s2025.ChangeFromSamePeriodLastYear.Should().Be(33.3m);
        merged.Points.Single(p => p.Period == "2025S1").ChangeFromSamePeriodLastYear.Should().Be(33.3m, "2/3 against 1/3");
        merged.Points[0].ChangeFromPreviousPeriod.Should().BeNull("nothing was evaluated before 2024S1");
        merged.Successor.Should().BeNull();

        var district = await trends.ForAsync("D1", "NQ02-1");
        district.Points.Select(p => p.Period).Should().Equal("2024S1", "2024S2", "2025S1");
        district.Successor.Should().Be("P");

        var province = await trends.ForAsync("P", "NQ02-1");
        province.Points.Select(p => p.Period).Should().Equal(issued.Keys);

        // The same through the API and on the dashboard's target page.
        await using var bed = await ApiTestbed.StartAsync(engine);
        var committee = await bed.AsAsync(Role.Committee, "P");
        var answer = await committee.GetAsync("/api/compliance/trend?area=CN&target=NQ02-1");
        answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        (await answer.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["points"]!.AsArray().Should().HaveCount(5);
        (await committee.GetAsync("/api/compliance/trend?area=CN")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var page = await (await browser.GetAsync("/targets/NQ02-1?period=2026S1&area=CN")).Content.ReadAsStringAsync();
        page.Should().Contain("id=\"trend\"").And.Contain("data-period=\"2024S1\"").And.Contain("id=\"trend-chart\"");
    }

    [Fact]
    public async Task The_trend_on_the_target_page_names_the_areas_it_sums_and_the_successor_not_their_codes()
    {
        await using var engine = await ReformedProvinceAsync();
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        async Task<string> TextAsync(string url) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            await (await browser.GetAsync(url)).Content.ReadAsStringAsync(), "<[^>]+>", " "));

        var merged = await TextAsync("/targets/NQ02-1?period=2026S1&area=CN");
        merged.Should().Contain("6 tháng đầu năm 2024 (xã Một, xã Hai)").And.NotContain("(C1, C2)");
        (await TextAsync("/targets/NQ02-1?period=2026S1&area=CN&lang=en")).Should().Contain("(Một commune, Hai commune)");

        var district = await TextAsync("/targets/NQ02-1?period=2025S1&area=D1");
        district.Should().Contain("Địa bàn đã sáp nhập vào tỉnh Thử từ ngày 01/07/2025; sau đó không còn số liệu riêng.").And.NotContain("sáp nhập vào P");
        (await TextAsync("/targets/NQ02-1?period=2025S1&area=D1&lang=en")).Should().Contain("The area was merged into Thử province on 01/07/2025;");
    }

    [Fact]
    public async Task A_commune_that_absorbed_another_sums_it_before_the_merger_on_its_target_page_and_in_its_report_and_says_so()
    {
        // Xã Hai merges into Xã Một on 1/7/2025: its UBND closes, its agency CQ1 goes on in Xã Một.
        await using var engine = await Engine.SqliteAsync(configure: s => QcdcCompliance.Reports.ReportRegistration.AddQcdcReports(s));
        await engine.ImportAsync(ImportKind.Areas, "areas.csv",
            "code,name,level,parent_code,valid_from,valid_to\nP,Tỉnh Thử,Province,,,\nD1,Huyện Một,District,P,,\nC1,Xã Một,Commune,D1,,\nC2,Xã Hai,Commune,D1,,2025-06-30\n");
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nC2,C1,2025-07-01\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader
            + "XA1,UBND Xã Một,Commune,C1,true,30,,,\nXA2,UBND Xã Hai,Commune,C2,true,25,,,2025-06-30\nCQ1,Phòng Nội vụ,StateAgency,C2,true,10,,,\n");
        await engine.LoadTargetSetsAsync();
        // Regulations issued: 1 of 3 units of both communes in 2025S1 (Xã Một alone: 1 of 1), 1 of 2 in 2025S2, 2 of 2 in 2026S1.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader
            + "XA1,2025S1,REGULATION_ISSUED,true,\nXA2,2025S1,REGULATION_ISSUED,false,\nCQ1,2025S1,REGULATION_ISSUED,false,\n"
            + "XA1,2025S2,REGULATION_ISSUED,true,\nCQ1,2025S2,REGULATION_ISSUED,false,\nXA1,2026S1,REGULATION_ISSUED,true,\nCQ1,2026S1,REGULATION_ISSUED,true,\n");
        foreach (var period in new[] { "2025S1", "2025S2", "2026S1" })
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);

        var trend = await engine.Services.GetRequiredService<TrendQueries>().ForAsync("C1", "NQ02-1");
        trend.Points.Select(p => (p.Period, string.Join("+", p.MeasuredOver), p.Numerator, p.Denominator)).Should().Equal(
            ("2025S1", "C1+C2", 1L, 3L), ("2025S2", "C1", 1L, 2L), ("2026S1", "C1", 2L, 2L));
        trend.Points[^1].ChangeFromSamePeriodLastYear.Should().Be(66.7m, "2/2 against the 1/3 of both communes, not against Xã Một's 1/1 alone");
        trend.Predecessors.Should().ContainSingle().Which.Should().Be(new TrendPredecessor("C2", "Xã Hai", new DateOnly(2025, 7, 1)));
        (await engine.Services.GetRequiredService<TrendQueries>().ForAsync("C1", "NQ02-1", asOf: new DateOnly(2025, 6, 30))).Points[0].MeasuredOver
            .Should().Equal(["C1"], "as it stood before the merger, Xã Một is itself alone");

        // The target page: the summed row named, the merger said, the change from the sum.
        await using var bed = await ApiTestbed.StartAsync(engine);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var html = await (await browser.GetAsync("/targets/NQ02-1?period=2026S1&area=C1")).Content.ReadAsStringAsync();
        var page = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " "));
        page.Should().Contain("6 tháng đầu năm 2025 (xã Một, xã Hai)")
            .And.Contain("Số liệu các kỳ trước khi sáp nhập gồm cả các địa bàn nay thuộc xã Một: xã Hai (sáp nhập từ ngày 01/07/2025).");
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "data-period=\"2026S1\">(?s:.*?)data-col=\"change-year\">([^<]*)<").Groups[1].Value).Should().Be("+66,7 điểm %");

        // The report: the comparison and appendix 5 put 2026S1 against the sum of both communes, and say why.
        var file = await engine.Services.GetRequiredService<QcdcCompliance.Reports.ReviewReports>()
            .WriteAsync("2026S1", "C1", QcdcCompliance.Reports.ReportFormat.Docx, QcdcCompliance.Reports.ReportLanguage.Vi);
        using var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var tables = Reports.ReportReading.Tables(doc);
        tables["comparison"].Single(r => r[0].StartsWith("Chỉ tiêu 1", StringComparison.Ordinal)).Skip(2)
            .Should().Equal("100,0%", "33,3%", "+66,7", "50,0%", "+50,0");
        tables["trend"].Single(r => r[0].StartsWith("Chỉ tiêu 1", StringComparison.Ordinal)).Skip(2)
            .Should().Equal("33,3%", "50,0%", "100,0%", "+50,0", "+66,7");
        Reports.ReportReading.Text(doc).Should().Contain("gồm cả các địa bàn nay thuộc xã Một: xã Hai (sáp nhập từ ngày 01/07/2025)");
    }
}

using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Domain;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// The units attached directly to an area (a district's own agencies and armed-forces unit, the province's own agencies)
/// sit in none of its child areas: every per-area table gives them a row of their own, so that the rows add up to the
/// area's total (review 50, D3).
/// </summary>
[Collection(ReviewProvinceCollection.Name)]
public sealed class OwnUnitsRowTests(ReviewProvince province)
{
    private OverviewQueries Overviews => ActivatorUtilities.CreateInstance<OverviewQueries>(province.Engine.Services);

    private ReviewReports Reports => ActivatorUtilities.CreateInstance<ReviewReports>(province.Engine.Services,
        ActivatorUtilities.CreateInstance<ReviewReportQueries>(province.Engine.Services, Overviews), new ReviewReportOptions());

    private async Task<string> DistrictAsync() =>
        (await Overviews.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code)).Children.Select(c => c.AreaCode).Order(StringComparer.Ordinal).First();

    [Theory]
    [InlineData(false, "Cơ quan, đơn vị trực thuộc tỉnh Thử Nghiệm")]
    [InlineData(true, "Cơ quan, đơn vị trực thuộc thành phố Đông")]
    public async Task Docx_appendix_tables_add_up_to_the_total_with_a_row_for_the_units_attached_directly(bool district, string ownRow)
    {
        var area = district ? await DistrictAsync() : ReviewProvince.Code;
        var file = await Reports.WriteAsync(ReviewProvince.Period, area, ReportFormat.Docx, ReportLanguage.Vi);
        using var doc = WordprocessingDocument.Open(new MemoryStream(file.Content), false);
        var tables = Tables(doc);

        var appendix = tables.Where(t => t.Key.StartsWith("appendix:", StringComparison.Ordinal)).ToList();
        appendix.Should().NotBeEmpty();
        appendix.Should().Contain(t => t.Value.Any(r => r[0].StartsWith(ownRow, StringComparison.Ordinal)), "the area has agencies of its own");
        foreach (var (id, rows) in appendix)
        {
            var (parts, total) = (rows[..^1], rows[^1]);
            foreach (var column in new[] { 1, 2, 3, 4, 5 })
                parts.Sum(r => Number(r[column])).Should().Be(Number(total[column]), $"the rows of {id} add up to the area's total (column {column})");
        }

        foreach (var id in new[] { "figures:dissemination", "figures:supervision", "figures:mediation", "completeness" })
        {
            var rows = tables[id];
            rows[^2][0].Should().StartWith(ownRow, $"{id} has a row for the units attached directly to the area");
            for (var column = 1; column < rows[^1].Length; column++)
            {
                if (rows[^1][column] is "–" || rows[^1][column].EndsWith('%'))
                    continue;
                rows[..^1].Sum(r => r[column] == "–" ? 0 : Number(r[column])).Should().Be(Number(rows[^1][column]), $"the rows of {id} add up to the total (column {column})");
            }
        }

        // A flagged agency of the area itself is placed in the area, not left without a place.
        tables["flagged"].Should().OnlyContain(r => r[3].Length > 0);
        tables["flagged"].Should().Contain(r => r[2].StartsWith("CQ-", StringComparison.Ordinal) || r[2].StartsWith("LL-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Xlsx_per_area_sheets_add_up_to_the_total_with_a_row_for_the_units_attached_directly()
    {
        var area = await DistrictAsync();
        var file = await Reports.WriteAsync(ReviewProvince.Period, area, ReportFormat.Xlsx, ReportLanguage.Vi);
        List<IDictionary<string, object?>> Sheet(string name) =>
            MiniExcel.Query(new MemoryStream(file.Content), useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>().Skip(1).ToList();

        var byArea = Sheet("Theo địa bàn");
        byArea.Should().Contain(r => (string)r["Phạm vi"]! == "trực thuộc trực tiếp" && (string)r["Mã địa bàn"]! == area
                                    && ((string)r["Địa bàn"]!).StartsWith("Cơ quan, đơn vị trực thuộc thành phố Đông", StringComparison.Ordinal));
        foreach (var target in byArea.GroupBy(r => (string)r["Mã chỉ tiêu"]!))
        {
            var total = target.Single(r => (string)r["Phạm vi"]! == "toàn địa bàn");
            var parts = target.Where(r => (string)r["Phạm vi"]! != "toàn địa bàn").ToList();
            foreach (var column in new[] { "Thuộc diện", "Đạt", "Chưa báo cáo", "Giá trị", "Mẫu số" })
                parts.Sum(r => Convert.ToInt64(r[column])).Should().Be(Convert.ToInt64(total[column]), $"{target.Key}: {column}");
        }

        foreach (var (sheet, columns) in new[]
                 {
                     ("Số liệu tổng hợp", new[] { IndicatorCatalogue.Get("PROPAGANDA_SESSIONS").NameVi, IndicatorCatalogue.Get("COMPLAINTS_RECEIVED").NameVi }),
                     ("Tình hình báo cáo", new[] { "Phải báo cáo", "Đã báo cáo đủ", "Chưa báo cáo" }),
                 })
        {
            var rows = Sheet(sheet);
            rows.Should().Contain(r => (string)r["Phạm vi"]! == "trực thuộc trực tiếp", sheet);
            var total = rows.Single(r => (string)r["Phạm vi"]! == "toàn địa bàn");
            foreach (var column in columns)
                rows.Where(r => r != total).Sum(r => Convert.ToInt64(r[column] ?? 0L)).Should().Be(Convert.ToInt64(total[column]), $"{sheet}: {column}");
        }

        Sheet("Cơ sở chưa đạt").Should().OnlyContain(r => !string.IsNullOrEmpty((string?)r["Địa bàn (tên)"]));
    }

    [Fact]
    public async Task Api_children_and_the_dashboard_target_table_add_up_to_the_area_with_its_own_units_flagged()
    {
        var area = await DistrictAsync();
        await using var host = await DashboardHost.StartAsync(province.Engine.Storage, await DashboardHost.KeysAsync(province.Engine.Storage, ReviewProvince.Code, area),
            realSocket: false);
        var client = host.Client("auditor-key");

        var json = JsonDocument.Parse(await client.GetStringAsync($"/api/compliance?period={ReviewProvince.Period}&area={area}")).RootElement;
        var regulation = json.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "NQ02-1");
        var children = regulation.GetProperty("children").EnumerateArray().ToList();
        var own = children.Where(c => c.GetProperty("ownUnits").GetBoolean()).ToList();
        own.Should().ContainSingle().Which.GetProperty("area").GetProperty("code").GetString().Should().Be(area, "the own units are shown under the area's own code");
        foreach (var target in json.GetProperty("targets").EnumerateArray())
        {
            var total = target.GetProperty("area");
            foreach (var field in new[] { "population", "met", "short", "notReported", "numerator", "denominator" })
            {
                target.GetProperty("children").EnumerateArray().Sum(c => c.GetProperty(field).GetInt64())
                    .Should().Be(total.GetProperty(field).GetInt64(), $"{target.GetProperty("code").GetString()}: {field}");
            }
        }

        var page = await client.GetStringAsync($"/targets/NQ02-1?period={ReviewProvince.Period}&area={area}");
        var table = page[page.IndexOf("id=\"child-areas\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        System.Net.WebUtility.HtmlDecode(table).Should().Contain("data-own-units=\"true\"").And.Contain("Cơ quan, đơn vị trực thuộc thành phố Đông");
        var populations = System.Text.RegularExpressions.Regex.Matches(table, "data-col=\"population\">([0-9.]+)<").Select(m => Number(m.Groups[1].Value)).ToList();
        populations.Sum().Should().Be(regulation.GetProperty("area").GetProperty("population").GetInt64(), "the page's rows add up to the figures above them");

        // The chart names the own units' bar in a few words (its title names the area): the longest label takes its width
        // from the bars, which a phone's chart had left almost none.
        var chart = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "<svg[^>]*aria-label=\"([^\"]*)\"").Groups[1].Value);
        chart.Should().Contain("; Đơn vị trực thuộc ").And.NotContain("Cơ quan, đơn vị trực thuộc");
    }

    [Fact]
    public async Task Completeness_children_of_the_api_and_the_cli_add_up_to_the_area_with_its_own_units_flagged()
    {
        var area = await DistrictAsync();
        await using var host = await DashboardHost.StartAsync(province.Engine.Storage, await DashboardHost.KeysAsync(province.Engine.Storage, ReviewProvince.Code, area),
            realSocket: false);
        var api = JsonDocument.Parse(await host.Client("auditor-key").GetStringAsync($"/api/completeness?period={ReviewProvince.Period}&area={area}")).RootElement;
        var cli = JsonDocument.Parse(await HostProcess.RunAsync(province.Engine.Storage, "completeness", "--period", ReviewProvince.Period, "--area", area, "--format", "json"))
            .RootElement;

        foreach (var (source, json) in new[] { ("api", api), ("cli", cli) })
        {
            var children = json.GetProperty("children").EnumerateArray().ToList();
            children.Where(c => c.GetProperty("ownUnits").GetBoolean()).Should().ContainSingle($"{source}: the district has agencies of its own")
                .Which.GetProperty("areaCode").GetString().Should().Be(area, "the own units are shown under the area's own code, as /api/compliance shows them");
            foreach (var field in new[] { "expected", "onTime", "late", "partial", "missing" })
            {
                children.Sum(c => c.GetProperty(field).GetInt32()).Should().Be(json.GetProperty("totals").GetProperty(field).GetInt32(),
                    $"{source}: the children add up to the area ({field})");
            }
        }

        var table = await HostProcess.RunAsync(province.Engine.Storage, "completeness", "--period", ReviewProvince.Period, "--area", area);
        // The first line names the area and the period; the table's row under the area's code is its own units'.
        var own = table.Split('\n').Skip(1).Single(l => l.StartsWith(area + " ", StringComparison.Ordinal));
        own.Should().Contain("Cơ quan, đơn vị trực thuộc thành phố Đông", "the table names the row as the report does");
        var expected = api.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("ownUnits").GetBoolean()).GetProperty("expected").GetInt32();
        own.Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Contain(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

using System.Net;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Dashboard;

/// <summary>
/// A district abolished on 1/7/2025 (the test province's D1, mapped onto the province by the lineage as the demo maps
/// its districts) seen for 2026S1 by its own committee and the province's: its page said "0 units" and nothing else.
/// </summary>
public sealed class AbolishedAreaTests : IAsyncLifetime
{
    private Engine _engine = default!;
    private DashboardHost _host = default!;

    public async Task InitializeAsync()
    {
        _engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await _engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nD1,P,2025-07-01\nD2,P,2025-07-01\n");
        await _engine.Evaluations.EvaluateAsync("2026S1", "P", RunTrigger.Manual);
        _host = await DashboardHost.StartAsync(_engine.Storage, await DashboardHost.KeysAsync(_engine.Storage, "P", "D1"), realSocket: false);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task The_committee_of_an_abolished_district_is_told_when_it_ended_and_what_it_became()
    {
        var response = await _host.Client("district-key").GetAsync("/?period=2026S1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.Should().Contain("id=\"area-ended\"")
            .And.Contain("Huyện Một đã kết thúc hoạt động từ ngày 01/07/2025: trong 6 tháng đầu năm 2026 không có cơ sở nào thuộc huyện Một")
            .And.Contain("Địa bàn kế thừa: <span data-area=\"P\">Tỉnh Thử</span>", "the district's committee may not open the province: its name, not a link")
            .And.Contain("Các địa bàn trực thuộc trước đây nay là: <span data-area=\"C1\">Xã Một</span>",
                "on 30/6/2026 C1 lies in P, not in D1: the district's committee reads its name, as the province's")
            .And.Contain("<span data-area=\"C2\">Xã Hai</span>");
        html.Should().NotContain("id=\"targets\"", "no table of targets measured over no unit").And.NotContain("đơn vị phải báo cáo").And.NotContain("Ký duyệt số liệu kỳ này");
        (await _host.Client("district-key").GetAsync("/?period=2026S1&area=C1")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a period's page judges the area on its last day");
        (await _host.Client("committee-key").GetAsync("/?period=2026S1&area=C1")).StatusCode.Should().Be(HttpStatusCode.OK, "the province's committee opens the communes it links");

        // Its figures of a period it existed in are as before.
        var before = WebUtility.HtmlDecode(await (await _host.Client("district-key").GetAsync("/?period=2020S1")).Content.ReadAsStringAsync());
        before.Should().Contain("id=\"targets\"").And.NotContain("id=\"area-ended\"");
    }

    [Fact]
    public async Task The_province_committee_reads_it_in_English_with_a_link_to_the_successor_and_gets_no_empty_report()
    {
        var client = _host.Client("committee-key");

        var html = WebUtility.HtmlDecode(await (await client.GetAsync("/?period=2026S1&area=D1&lang=en")).Content.ReadAsStringAsync());
        html.Should().Contain("Huyện Một was abolished on 01/07/2025: no unit belongs to it in the first half of 2026, so it has no figures and no results for that period.")
            .And.Contain("Succeeded by: <a href=\"/?period=2026S1&area=P&lang=en\" data-area=\"P\">Tỉnh Thử</a>")
            .And.Contain("The areas that were under it are now: <a href=\"/?period=2026S1&area=C1&lang=en\" data-area=\"C1\">Xã Một</a>");

        var report = await client.GetAsync("/report?period=2026S1&area=D1&format=html");
        report.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        WebUtility.HtmlDecode(await report.Content.ReadAsStringAsync()).Should()
            .Contain("Huyện Một đã kết thúc hoạt động từ ngày 01/07/2025").And.Contain("Địa bàn kế thừa: Tỉnh Thử.").And.Contain("Báo cáo của kỳ này lập cho địa bàn kế thừa.");
        var target = WebUtility.HtmlDecode(await (await client.GetAsync("/targets/NQ02-1?period=2026S1&area=D1")).Content.ReadAsStringAsync());
        target.Should().Contain("Huyện Một đã kết thúc hoạt động từ ngày 01/07/2025");
    }

    [Fact]
    public async Task The_API_answers_an_abolished_districts_period_with_its_end_and_successors_not_an_empty_list()
    {
        var response = await _host.Client("district-key").GetAsync("/api/compliance?period=2026S1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        answer.GetProperty("targets").GetArrayLength().Should().Be(0);
        var ended = answer.GetProperty("ended");
        ended.GetProperty("lastDay").GetString().Should().Be("2025-06-30");
        ended.GetProperty("successors").EnumerateArray().Select(a => a.GetProperty("code").GetString()).Should().Equal("P");
        ended.GetProperty("formerAreasNow").EnumerateArray().Select(a => a.GetProperty("code").GetString()).Should().Equal("C1", "C2");
        ended.GetProperty("message").GetString().Should().StartWith("Huyện Một was abolished on 01/07/2025");

        var before = System.Text.Json.JsonDocument.Parse(await _host.Client("district-key").GetStringAsync("/api/compliance?period=2020S1")).RootElement;
        before.GetProperty("targets").GetArrayLength().Should().BeGreaterThan(0);
        before.TryGetProperty("ended", out var none).Should().BeTrue();
        none.ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "a period it existed in has its figures and no end");
    }
}

using System.Net;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Dashboard;

/// <summary>Who may see what, over plain HTTP on the test server.</summary>
[Collection(ReviewProvinceCollection.Name)]
public sealed class DashboardAccessTests(ReviewProvince province) : IAsyncLifetime
{
    private DashboardHost _host = default!;
    private string _district = "";
    private string _otherDistrict = "";

    public async Task InitializeAsync()
    {
        var overview = await ActivatorUtilities.CreateInstance<OverviewQueries>(province.Engine.Services).ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code);
        var districts = overview.Children.Select(c => c.AreaCode).Distinct().Order(StringComparer.Ordinal).ToList();
        (_district, _otherDistrict) = (districts[0], districts[1]);
        _host = await DashboardHost.StartAsync(province.Engine.Storage, await DashboardHost.KeysAsync(province.Engine.Storage, ReviewProvince.Code, _district), realSocket: false);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page()
    {
        var response = await _host.Client(null).GetAsync($"/?period={ReviewProvince.Period}");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().StartWith("/signin?returnUrl=");
    }

    [Fact]
    public async Task A_district_committee_sees_its_district_and_not_the_province_or_another_district()
    {
        var client = _host.Client("district-key");

        var own = await client.GetAsync("/");
        own.StatusCode.Should().Be(HttpStatusCode.OK);
        (await own.Content.ReadAsStringAsync()).Should().Contain($"data-target=\"{ReportingTarget}\"");
        // An area outside answers as one that does not exist (issue 18, item 6).
        (await client.GetAsync($"/?area={ReviewProvince.Code}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var other = await client.GetAsync($"/?area={_otherDistrict}");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var nowhere = await client.GetAsync("/?area=NOWHERE");
        // The same page but for the name typed (and the sign-out form's token, new on every page).
        static string WithoutToken(string page) => System.Text.RegularExpressions.Regex.Replace(page, "name=\"__RequestVerificationToken\" value=\"[^\"]*\"", "");
        WithoutToken(await other.Content.ReadAsStringAsync()).Should().Be(WithoutToken(await nowhere.Content.ReadAsStringAsync()).Replace("NOWHERE", _otherDistrict, StringComparison.Ordinal));
        (await client.GetAsync($"/report?period={ReviewProvince.Period}&area={ReviewProvince.Code}&format=docx")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync($"/targets/NQ02-1?period={ReviewProvince.Period}&area={_otherDistrict}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var elsewhere = (await province.Engine.Findings.ListAsync(new QcdcCompliance.Findings.FindingFilter(ReviewProvince.Period) { Area = _otherDistrict }))
            .First(f => f.SubjectType == QcdcCompliance.Domain.SubjectType.Unit);
        (await client.GetAsync($"/units/{elsewhere.SubjectCode}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _host.Client("committee-key").GetAsync($"/units/{elsewhere.SubjectCode}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_reporting_officer_may_not_read_the_dashboard()
    {
        (await _host.Client("reporter-key").GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _host.Client("auditor-key").GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_review_report_downloads_from_the_dashboard_as_docx_and_xlsx()
    {
        var client = _host.Client("committee-key");

        var docx = await client.GetAsync($"/report?period={ReviewProvince.Period}&area={ReviewProvince.Code}&format=docx");
        docx.StatusCode.Should().Be(HttpStatusCode.OK);
        docx.Content.Headers.ContentDisposition!.FileName.Should().Contain($"{ReviewProvince.Code}-{ReviewProvince.Period}.docx");
        using (var doc = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
            doc.MainDocumentPart!.Document!.Body!.InnerText.Should().Contain("Sơ kết thực hiện quy chế dân chủ ở cơ sở");

        var xlsx = await client.GetAsync($"/report?period={ReviewProvince.Period}&area={_district}&format=xlsx&lang=en");
        xlsx.StatusCode.Should().Be(HttpStatusCode.OK);
        var sheets = MiniExcelLibs.MiniExcel.GetSheetNames(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        sheets.Should().Contain(["By area", "Flagged units"]);
    }

    [Fact]
    public async Task Every_page_renders_in_English_when_asked()
    {
        var client = _host.Client("committee-key");
        await using var db = province.Engine.Db();
        var run = db.EvaluationRuns.Max(r => r.Id);
        foreach (var path in new[] { $"/?period={ReviewProvince.Period}&lang=en", $"/targets/NQ02-1?period={ReviewProvince.Period}&lang=en", "/runs?lang=en", $"/runs/{run}?lang=en" })
        {
            var response = await client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
            var html = await response.Content.ReadAsStringAsync();
            html.Should().Contain("<html lang=\"en\">", path).And.Contain("Tiếng Việt", "the switch leads back to Vietnamese");
        }
    }

    [Fact]
    public async Task English_names_a_year_as_the_year_beside_its_halves_and_Vietnamese_keeps_nam()
    {
        var client = _host.Client("committee-key");

        static async Task<string> Text(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var runs = await Text(await client.GetAsync("/runs?lang=en"));
        runs.Should().Contain(">The year 2020<").And.Contain(">The first half of 2020<").And.NotContain(">2020<", "a bare year read as a number beside its halves");
        var year = await Text(await client.GetAsync($"/?period=2020&area={ReviewProvince.Code}&lang=en"));
        year.Should().Contain($"{ReviewProvince.Profile.Name} – the year 2020</h1>");
        var report = await Text(await client.GetAsync($"/report?period=2020&area={ReviewProvince.Code}&format=html&lang=en"));
        report.Should().Contain("Review of grassroots democracy in the year 2020 and tasks for the year 2021");

        var vietnamese = await Text(await client.GetAsync("/runs"));
        vietnamese.Should().Contain(">Năm 2020<").And.Contain(">6 tháng đầu năm 2020<");
        (await Text(await client.GetAsync($"/?period=2020&area={ReviewProvince.Code}"))).Should().Contain($"{ReviewProvince.Profile.Name} – năm 2020</h1>");
    }

    private const string ReportingTarget = QcdcCompliance.Evaluation.ReportingTarget.Code;
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// The row of the units attached directly to an area is no area, and no run judges it (<see cref="JudgedLevels"/>: the
/// roll-up over an area, and each unit of a target measured over units): it is never "Đạt" or "Chưa đạt". The API says
/// <c>NotJudged</c>; the target page and the report's appendix say how many of its units fall short (each a finding of
/// its own) for a target that judges units, and "Không đánh giá ở cấp này" for one measured over areas.
/// </summary>
[Collection(ReviewProvinceCollection.Name)]
public sealed partial class OwnUnitsStatusTests(ReviewProvince province)
{
    private OverviewQueries Overviews => ActivatorUtilities.CreateInstance<OverviewQueries>(province.Engine.Services);

    private ReviewReports Reports => ActivatorUtilities.CreateInstance<ReviewReports>(province.Engine.Services,
        ActivatorUtilities.CreateInstance<ReviewReportQueries>(province.Engine.Services, Overviews), new ReviewReportOptions());

    /// <summary>What the row is, in words a reader checks by hand: its units short counted, or not judged.</summary>
    private static string Expected(ComplianceRow own) => !own.JudgesUnits || own.Restated ? "Không đánh giá ở cấp này"
        : own.ShortUnits == 0 ? "Không có đơn vị chưa đạt" : $"{DisplayFormat.Vietnamese.Number(own.ShortUnits)} đơn vị chưa đạt";

    [Fact]
    public async Task The_own_units_row_is_never_judged_as_an_area_on_the_api_the_target_page_and_the_report()
    {
        var district = (await Overviews.ForAreaAsync(ReviewProvince.Period, ReviewProvince.Code)).Children.Select(c => c.AreaCode).Order(StringComparer.Ordinal).First();
        await using var host = await DashboardHost.StartAsync(province.Engine.Storage, await DashboardHost.KeysAsync(province.Engine.Storage, ReviewProvince.Code, district),
            realSocket: false);
        var client = host.Client("auditor-key");
        var checkedRows = new List<ComplianceRow>();

        foreach (var area in new[] { ReviewProvince.Code, district })
        {
            var compliance = await province.Engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync(ReviewProvince.Period, area);
            compliance.OwnUnits.Should().NotBeEmpty($"{area} has units of its own");
            var api = JsonDocument.Parse(await client.GetStringAsync($"/api/compliance?period={ReviewProvince.Period}&area={area}")).RootElement;
            var report = await Reports.WriteAsync(ReviewProvince.Period, area, ReportFormat.Docx, ReportLanguage.Vi);
            using var doc = WordprocessingDocument.Open(new MemoryStream(report.Content), false);
            var tables = Tables(doc);

            foreach (var own in compliance.OwnUnits)
            {
                var code = own.TargetCode;
                own.Status.Should().Be(AreaStatus.NotJudged, $"{area} {code}: no run judges the own units as a whole");
                api.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("code").GetString() == code).GetProperty("children").EnumerateArray()
                    .Single(c => c.GetProperty("ownUnits").GetBoolean()).GetProperty("status").GetString().Should().Be("NotJudged", $"{area} {code}");

                var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/targets/{code}?period={ReviewProvince.Period}&area={area}"));
                var row = page[page.IndexOf("data-own-units=\"true\"", StringComparison.Ordinal)..];
                row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
                var onPage = Status().Matches(row).Select(m => m.Groups[1].Value).Should().ContainSingle($"{area} {code}: the row's status").Which;
                onPage.Should().Be(Expected(own), $"{area} {code} on the target page");

                if (tables.TryGetValue($"appendix:{code}", out var appendix))
                {
                    appendix.Single(r => r[0].StartsWith("Cơ quan, đơn vị trực thuộc", StringComparison.Ordinal))[8]
                        .Should().Be(Expected(own), $"{area} {code} in the report's appendix");
                }

                checkedRows.Add(own);
            }
        }

        checkedRows.Should().Contain(r => r.JudgesUnits && r.ShortUnits > 0, "an own unit falls short of a target that judges units: counted, not \"Chưa đạt\"");
    }

    [GeneratedRegex("<span class=\"status[^\"]*\" data-status=\"[^\"]*\"[^>]*>([^<]*)</span>")]
    private static partial Regex Status();
}

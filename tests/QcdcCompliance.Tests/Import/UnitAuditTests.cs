using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;
using QcdcCompliance.Tests.Security;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// Who changed a unit, when, from what to what (README, Keys: "the records a write stores name it the same way"): a unit's
/// closing day decides whether its findings are put right or no longer followed, its e-mail who gets its alerts.
/// </summary>
public sealed class UnitAuditTests
{
    [Fact]
    public async Task Who_closed_a_unit_and_moved_its_alerts_and_when_is_recorded_and_read_from_the_api_and_the_units_page()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var before = DateTime.UtcNow.AddSeconds(-1);
        var response = await bed.As(await bed.KeyAsync(Role.Reporter, "C3", "Cán bộ báo cáo C3")).PostAsync("/api/imports/units?file=close.csv",
            new StringContent(Province.UnitsHeader + "XA3,UBND Xã Ba,Commune,C3,,,someone@elsewhere.example,,2020-05-31\n", Encoding.UTF8, "text/csv"));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var unit = await (await (await bed.AsAsync(Role.Auditor, "P")).GetAsync("/api/units/XA3")).ReadAsync<Host.Api.UnitDto>();
        unit.Changes.Select(c => (c.Field, c.OldValue, c.NewValue)).Should().Equal(
            (UnitAudit.Created, null, null), ("contact_email", null, "someone@elsewhere.example"), ("active_to", null, "2020-05-31"));
        unit.Changes[0].ChangedBy.Should().Be("test", "the province's units were stored by the test's import");
        foreach (var change in unit.Changes.Skip(1))
        {
            change.ChangedBy.Should().Contain("\"Cán bộ báo cáo C3\"").And.Contain("reporter@C3");
            change.ChangedAt.Should().BeOnOrAfter(before).And.BeOnOrBefore(DateTime.UtcNow);
            change.ChangedAt.Kind.Should().Be(DateTimeKind.Utc);
            change.Source.Should().Be("close.csv");
        }

        unit.Versions.Single().ChangedBy.Should().Be("test", "the one version began with the unit's first storing");

        var (browser, _, _) = await Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"), returnUrl: "");
        var page = WebUtility.HtmlDecode(await (await browser.GetAsync("/units/XA3")).Content.ReadAsStringAsync());
        var row = Regex.Match(page, "<tr data-field=\"active_to\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        var cells = Regex.Matches(row, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value.Trim()).ToList();
        cells.Should().HaveCount(7, row);
        cells[0].Should().Be(unit.Changes[^1].ChangedAt.AddHours(7).ToString("HH:mm dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), "the time is shown in Viet Nam (UTC+7)");
        cells[1..5].Should().Equal(unit.Changes[^1].ChangedBy, "Hoạt động đến ngày", "", "31/05/2020");
        cells[6].Should().Be("close.csv");
    }
}

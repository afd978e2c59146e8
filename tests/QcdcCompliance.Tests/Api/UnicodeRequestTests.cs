using System.Net;
using System.Text;
using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>A code typed in decomposed Unicode (NFD) names the same unit or area as the NFC the imports store.</summary>
public sealed class UnicodeRequestTests
{
    [Fact]
    public async Task A_code_sent_in_decomposed_Unicode_finds_the_unit_and_area_stored_in_NFC()
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Units, "xa.csv", Province.UnitsHeader + "XÃ-MỚI,UBND Xã Mới,Commune,C1,false,12,,,\n");
        await using var bed = await ApiTestbed.StartAsync(engine);
        var api = await bed.AsAsync(Role.Auditor, "P");
        var nfd = "XÃ-MỚI".Normalize(NormalizationForm.FormD);
        nfd.Should().NotBe("XÃ-MỚI", "the test sends what a decomposing system sends");

        var unit = await api.GetAsync($"/api/units/{Uri.EscapeDataString(nfd)}");
        var findings = await api.GetAsync($"/api/findings?period=2020S1&unit={Uri.EscapeDataString(nfd)}");

        unit.StatusCode.Should().Be(HttpStatusCode.OK, await unit.Content.ReadAsStringAsync());
        JsonDocument.Parse(await unit.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString().Should().Be("XÃ-MỚI");
        findings.StatusCode.Should().Be(HttpStatusCode.OK, await findings.Content.ReadAsStringAsync());
    }
}

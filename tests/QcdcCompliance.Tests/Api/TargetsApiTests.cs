using System.Text.Json;
using QcdcCompliance.Domain;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>GET /api/targets?period= shows the settings in force for that period, and only the sets that bind the caller's areas.</summary>
public sealed class TargetsApiTests
{
    [Theory]
    [InlineData("2019", 4, "Nghị định số 60/2013/NĐ-CP")]
    [InlineData("2024", 1, "Bộ luật Lao động năm 2019")]
    public async Task The_targets_in_force_for_a_period_show_the_setting_of_that_period_and_its_basis(string period, long minimum, string basis)
    {
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await using var bed = await ApiTestbed.StartAsync(engine);
        var api = await bed.AsAsync(Role.Auditor, "P");

        using var answer = JsonDocument.Parse(await api.GetStringAsync($"/api/targets?period={period}"));

        var sets = answer.RootElement.GetProperty("sets").EnumerateArray().ToList();
        var hn = sets.Single(s => s.GetProperty("code").GetString() == "02-NQ/TU");
        hn.GetProperty("scope").GetString().Should().Be("P");
        var seven = hn.GetProperty("targets").EnumerateArray().Where(t => t.GetProperty("code").GetString() == "NQ02-7a").ToList();
        seven.Should().ContainSingle("one setting is in force in a period");
        seven[0].GetProperty("minimum").GetInt64().Should().Be(minimum);
        seven[0].GetProperty("source").GetString().Should().Be("Law");
        seven[0].GetProperty("basis").GetString().Should().Contain(basis);
        sets.Should().Contain(s => s.GetProperty("scope").GetString() == "national");
        var lawTen = sets.Any(s => s.GetProperty("code").GetString() == "L10/2022/QH15");
        lawTen.Should().Be(period == "2024", "Law 10 is in force from 1 July 2023");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Reports;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

/// <summary>
/// No value can be reported for a period that has not begun in Viet Nam (almost always a mistyped year, 2099 for 2019):
/// its rows are refused with the reason an evaluation gives, and neither the import nor the template stores its period.
/// </summary>
public sealed class PeriodNotBegunImportTests
{
    private static async Task<bool> PeriodStoredAsync(Engine engine, string code)
    {
        await using var db = engine.Db();
        return await db.Periods.AnyAsync(p => p.Code == code);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task Values_of_a_half_year_not_begun_are_refused_until_its_first_day_in_Viet_Nam(StorageProvider provider)
    {
        // 23:59:59 on 30/06/2020 in Viet Nam: 2020S2 begins in one second.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 6, 30, 23, 59, 59, TimeSpan.FromHours(7)));
        await using var engine = await (provider == StorageProvider.Sqlite ? Engine.SqliteAsync(clock) : Engine.PostgresAsync("notbegun", clock)).WithProvinceAsync();
        var values = Province.ValuesHeader + "XA1,2020S2,MEDIATION_TEAMS,4,\nXA2,2020s2,MEDIATION_TEAMS,3,\nXA3,2099S1,MEDIATION_TEAMS,2,\nXA3,2020S1,MEDIATION_TEAMS,2,\n";

        var problems = await engine.RefusedAsync(ImportKind.Values, "values.csv", values);

        const string Reason = "no unit can have reported for it, so no value of it is accepted; check the period code (a mistyped year?)";
        problems.Select(p => p.ToString()).Should().Equal(
            $"values.csv:2:period: period 2020S2 has not begun: it starts on 01/07/2020 and today is 30/06/2020 (Asia/Ho_Chi_Minh); {Reason}",
            $"values.csv:3:period: period 2020S2 has not begun: it starts on 01/07/2020 and today is 30/06/2020 (Asia/Ho_Chi_Minh); {Reason}",
            $"values.csv:4:period: period 2099S1 has not begun: it starts on 01/01/2099 and today is 30/06/2020 (Asia/Ho_Chi_Minh); {Reason}");
        ImportWording.Vietnamese(problems[2]).Should().Be(
            "kỳ 2099S1 chưa bắt đầu: kỳ bắt đầu ngày 01/01/2099, hôm nay là 30/06/2020 (giờ Việt Nam); chưa đơn vị nào có thể báo cáo kỳ này: kiểm tra lại mã kỳ (nhầm năm?)");
        (await PeriodStoredAsync(engine, "2020S2")).Should().BeFalse();
        (await PeriodStoredAsync(engine, "2099S1")).Should().BeFalse();

        // Midnight in Viet Nam (still 30/06 in UTC): the half-year has begun where it is reported.
        clock.Advance(TimeSpan.FromSeconds(1));
        var summary = await engine.ImportAsync(ImportKind.Values, "values.csv", values.Replace("XA3,2099S1,MEDIATION_TEAMS,2,\n", "", StringComparison.Ordinal));
        summary.Inserted.Should().Be(3);
        (await PeriodStoredAsync(engine, "2020S2")).Should().BeTrue();
    }

    [Fact]
    public async Task A_template_of_a_period_not_begun_is_refused_with_the_same_reason_and_stores_no_period()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(7)));
        await using var engine = await Engine.SqliteAsync(clock).WithProvinceAsync();
        var templates = engine.Services.GetRequiredService<ReportingTemplates>();

        var area = () => templates.ForAreaAsync("2099S1", "P");
        var unit = () => templates.ForUnitAsync("2099S1", "XA1");

        const string Refusal = "period 2099S1 has not begun: it starts on 01/01/2099 and today is 05/12/2026 (Asia/Ho_Chi_Minh); "
                               + "no unit can have reported for it, so no template is made for it; check the period code (a mistyped year?)";
        await area.Should().ThrowExactlyAsync<EvaluationRequestException>().WithMessage(Refusal);
        await unit.Should().ThrowExactlyAsync<EvaluationRequestException>().WithMessage(Refusal);
        (await PeriodStoredAsync(engine, "2099S1")).Should().BeFalse();
        (await templates.ForAreaAsync("2026S2", "P")).Period.Code.Should().Be("2026S2", "a period that has begun has its template, ended or not");
    }
}

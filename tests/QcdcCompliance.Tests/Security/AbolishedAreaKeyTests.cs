using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Cli;
using QcdcCompliance.Import;
using QcdcCompliance.Runs;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// Review 52, security 1-2: a key keeps the rights of its area only while the area exists. District D1 ended on
/// 30/6/2025 with agency CQ1 attached to it, dissolved into the province as the demo's districts are; commune C4 was merged into C3 on 1/7/2025 with its school SN4 still
/// attached to it. On 2026S1's last day both units are others' (the province's, C3's): the old keys may neither sign
/// that period off, nor write its values, acknowledge its findings or change the units' records, and keep 2020S1.
/// </summary>
public sealed class AbolishedAreaKeyTests
{
    private const string Later = "2026S1";

    [Fact]
    public async Task A_committee_of_an_area_ended_before_the_periods_last_day_cannot_sign_it_off_on_the_api_or_the_command_line()
    {
        await using var bed = await StartAsync();
        var merged = await bed.AsAsync(Role.Committee, "C4");
        var district = await bed.AsAsync(Role.Committee, "D1");

        var commune = await SignOffAsync(merged, Later, "C4");
        var abolished = await SignOffAsync(district, Later, "D1");

        commune.Status.Should().Be(HttpStatusCode.Conflict, commune.Body);
        commune.Detail.Should().Contain("2026S1 of C4 cannot be signed off").And.Contain("01/07/2025").And.Contain("C3");
        commune.MessageVi.Should().StartWith("Không ký duyệt được 6 tháng đầu năm 2026 của Xã Bốn").And.Contain("01/07/2025").And.Contain("Xã Ba");
        abolished.Status.Should().Be(HttpStatusCode.Conflict, abolished.Body);
        abolished.Detail.Should().Contain("2026S1 of D1 cannot be signed off").And.Contain("01/07/2025");

        var exit = await QcdcCli.RunAsync(["signoff", "--period", Later, "--area", "C4", "--reason", "ký", "--provider", bed.Engine.Storage.Provider.ToString(),
            "--db", bed.Engine.Storage.Database!]);
        exit.Should().Be(QcdcCli.UsageExitCode);
        await using (var db = bed.Engine.Db())
            (await db.SignOffs.CountAsync()).Should().Be(0, "nothing was signed");

        // Before its end the area is the committee's to sign, and its successor signs the later period.
        (await SignOffAsync(merged, ApiTestbed.Period, "C4")).Status.Should().Be(HttpStatusCode.OK);
        (await SignOffAsync(await bed.AsAsync(Role.Committee, "C3"), Later, "C3")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Keys_of_an_ended_area_write_no_value_of_their_former_units_after_the_end_and_keep_the_periods_before()
    {
        await using var bed = await StartAsync();
        var district = await bed.AsAsync(Role.Reporter, "D1");
        var merged = await bed.AsAsync(Role.Reporter, "C4");

        var agencyLater = await AreaTakeoverTests.PostAsync(district, "values", Province.ValuesHeader + $"CQ1,{Later},REGULATION_ISSUED,false,\n");
        var schoolLater = await AreaTakeoverTests.PostAsync(merged, "values", Province.ValuesHeader + $"SN4,{Later},REGULATION_ISSUED,false,\n");

        agencyLater.Status.Should().Be(HttpStatusCode.UnprocessableEntity, agencyLater.Body);
        agencyLater.Problems.Should().ContainSingle().Which.Should().Contain("unknown unit CQ1").And.Contain("outside your area");
        schoolLater.Status.Should().Be(HttpStatusCode.UnprocessableEntity, schoolLater.Body);
        schoolLater.Problems.Should().ContainSingle().Which.Should().Contain("unknown unit SN4");

        (await AreaTakeoverTests.PostAsync(district, "values", Province.ValuesHeader + "CQ1,2020S1,REGULATION_ISSUED,false,\n")).Status.Should().Be(HttpStatusCode.OK);
        (await AreaTakeoverTests.PostAsync(merged, "values", Province.ValuesHeader + "SN4,2020S1,REGULATION_ISSUED,false,\n")).Status.Should().Be(HttpStatusCode.OK);
        (await AreaTakeoverTests.PostAsync(await bed.AsAsync(Role.Reporter, "C3"), "values", Province.ValuesHeader + $"SN4,{Later},REGULATION_ISSUED,false,\n"))
            .Status.Should().Be(HttpStatusCode.OK, "the school is C3's after the merger");
    }

    [Fact]
    public async Task Committees_of_an_ended_area_acknowledge_no_finding_of_their_former_units_after_the_end()
    {
        await using var bed = await StartAsync();
        var district = await bed.AsAsync(Role.Committee, "D1");
        var merged = await bed.AsAsync(Role.Committee, "C4");

        (await AcknowledgeAsync(bed, district, "CQ1", Later)).Should().Be(HttpStatusCode.NotFound);
        (await AcknowledgeAsync(bed, merged, "SN4", Later)).Should().Be(HttpStatusCode.NotFound);
        (await (await merged.GetAsync($"/api/findings?period={Later}")).Content.ReadAsStringAsync()).Should().NotContain("SN4");

        (await AcknowledgeAsync(bed, district, "CQ1", ApiTestbed.Period)).Should().Be(HttpStatusCode.OK);
        (await AcknowledgeAsync(bed, merged, "SN4", ApiTestbed.Period)).Should().Be(HttpStatusCode.OK);
        (await AcknowledgeAsync(bed, await bed.AsAsync(Role.Committee, "C3"), "SN4", Later)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reporters_of_an_ended_area_change_their_former_units_records_until_the_end_and_not_after()
    {
        // 1/5/2025: D1 and C4 still exist.
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 9, 0, 0, TimeSpan.FromHours(7)));
        await using var bed = await StartAsync(clock);
        var district = await bed.AsAsync(Role.Reporter, "D1");
        var merged = await bed.AsAsync(Role.Reporter, "C4");
        string Agency(string email) => Province.UnitsHeader + $"CQ1,Phòng Nội vụ,StateAgency,D1,true,12,{email},,\n";
        string School(string email) => Province.UnitsHeader + $"SN4,Trường Tiểu học Bốn,PublicServiceUnit,C4,false,25,{email},,\n";

        (await AreaTakeoverTests.PostAsync(district, "units", Agency("noi-vu@example.vn"))).Status.Should().Be(HttpStatusCode.OK);
        (await AreaTakeoverTests.PostAsync(merged, "units", School("truong4@example.vn"))).Status.Should().Be(HttpStatusCode.OK);

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(7)));
        var agency = await AreaTakeoverTests.PostAsync(district, "units", Agency("nguoi-la@evil.example"));
        var school = await AreaTakeoverTests.PostAsync(merged, "units", School("nguoi-la@evil.example"));

        agency.Status.Should().Be(HttpStatusCode.UnprocessableEntity, agency.Body);
        agency.Problems.Should().ContainSingle().Which.Should().Contain("unknown area D1, or outside your area");
        school.Status.Should().Be(HttpStatusCode.UnprocessableEntity, school.Body);
        await using (var db = bed.Engine.Db())
        {
            (await db.Units.Where(u => u.Code == "CQ1" || u.Code == "SN4").Select(u => u.ContactEmail).ToListAsync())
                .Should().BeEquivalentTo(["noi-vu@example.vn", "truong4@example.vn"]);
        }

        // Their successors (the province for the district's agency, C3 for the school) keep them.
        (await AreaTakeoverTests.PostAsync(await bed.AsAsync(Role.Reporter, "P"), "units", Agency("cq1@example.vn"))).Status.Should().Be(HttpStatusCode.OK);
        (await AreaTakeoverTests.PostAsync(await bed.AsAsync(Role.Reporter, "C3"), "units", School("sn4@example.vn"))).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_unit_of_an_area_ended_without_successor_is_changed_by_the_keys_above_it_not_by_the_ended_areas()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 9, 0, 0, TimeSpan.FromHours(7)));
        await using var bed = await StartAsync(clock);
        var district = await bed.AsAsync(Role.Reporter, "D2");
        string Agency(string email) => Province.UnitsHeader + $"CQ2,Phòng Nội vụ huyện Hai,StateAgency,D2,true,10,{email},,\n";
        (await AreaTakeoverTests.PostAsync(district, "units", Agency("cq2@example.vn"))).Status.Should().Be(HttpStatusCode.OK);

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(7)));

        (await AreaTakeoverTests.PostAsync(district, "units", Agency("nguoi-la@evil.example"))).Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await AreaTakeoverTests.PostAsync(await bed.AsAsync(Role.Reporter, "P"), "units", Agency("noi-vu2@example.vn"))).Status.Should().Be(HttpStatusCode.OK,
            "D2 has no successor: the province that held it corrects its units");
    }

    /// <summary>The test province with C4 (merged into C3 on 1/7/2025) and its school, evaluated for 2020S1 and 2026S1; no evaluation queued by the API runs.</summary>
    private static async Task<ApiTestbed> StartAsync(TimeProvider? clock = null)
    {
        var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Areas, "c4.csv", "code,name,level,parent_code,valid_from,valid_to\nC4,Xã Bốn,Commune,D2,,2025-06-30\n");
        await engine.ImportAsync(ImportKind.Lineage, "c4-lineage.csv", "predecessor_code,successor_code,effective_from\nC4,C3,2025-07-01\nD1,P,2025-07-01\n");
        await engine.ImportAsync(ImportKind.Units, "sn4.csv", Province.UnitsHeader + "SN4,Trường Tiểu học Bốn,PublicServiceUnit,C4,false,25,,,\n");
        await engine.ImportAsync(ImportKind.Values, "later.csv", Province.ValuesHeader + $"XA1,{Later},REGULATION_ISSUED,true,\nXA1,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync(Later, null, RunTrigger.Manual);
        return await ApiTestbed.StartAsync(engine, configure: b =>
        {
            b.Services.AddSingleton<IEvaluationScheduler>(new RecordingScheduler());
            if (clock is not null)
                b.Services.AddSingleton<TimeProvider>(clock);
        });
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Detail, string? MessageVi)> SignOffAsync(HttpClient committee, string period, string area)
    {
        var response = await committee.PostAsJsonAsync("/api/signoffs", new { period, area, reason = "Ký duyệt" });
        var body = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, body, null, null);
        var root = JsonDocument.Parse(body).RootElement;
        return (response.StatusCode, body, root.TryGetProperty("detail", out var d) ? d.GetString() : null,
            root.TryGetProperty("messageVi", out var vi) ? vi.GetString() : null);
    }

    /// <summary>Acknowledges a current finding of the unit in the period (there is one: most of its indicators are missing).</summary>
    private static async Task<HttpStatusCode> AcknowledgeAsync(ApiTestbed bed, HttpClient committee, string unit, string period)
    {
        long id;
        await using (var db = bed.Engine.Db())
        {
            var periodId = await db.Periods.Where(p => p.Code == period).Select(p => p.Id).SingleAsync();
            id = await db.Findings.Where(f => f.SubjectCode == unit && f.PeriodId == periodId && f.SupersededByRunId == null && f.State != FindingState.Resolved)
                .OrderBy(f => f.Id).Select(f => f.Id).FirstAsync();
        }

        var response = await committee.PostAsync($"/api/findings/{id}/acknowledge", new StringContent("""{"reason":"đã nhắc"}""", Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }
}

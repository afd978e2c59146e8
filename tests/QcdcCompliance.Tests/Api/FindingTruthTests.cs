using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Api;

/// <summary>
/// Review 54, security 1 and 2: a finding's row says what its run recorded and, once a later run superseded it, what
/// became of it; the row of the run that resolved it holds what that run read (or that it read nothing), while the
/// shortfall it closed stays provable from the row it superseded.
/// </summary>
public sealed class FindingTruthTests
{
    private static Task<Engine> Create(string provider, string name) =>
        provider == "Sqlite" ? Engine.SqliteAsync() : Engine.PostgresAsync(name);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_superseded_row_reads_as_its_run_recorded_it_and_names_the_resolving_row_which_holds_the_value_that_run_read(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Create(provider, "truthremedied")));
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        var opened = (await (await auditor.GetAsync("/api/findings?period=2020S1&target=NQ02-1&unit=XA2")).ReadAsync<FindingPage>()).Items.Single();

        await bed.Engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,corrected\n");
        await bed.Engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        var resolving = (await (await auditor.GetAsync("/api/units/XA2/findings")).ReadAsync<List<FindingDto>>())
            .Single(f => f.Target == "NQ02-1" && f.Period == "2020S1");
        resolving.State.Should().Be(FindingState.Resolved);

        // The row the first run recorded: New, as that run lists it, and what the later run made of it.
        var old = await (await auditor.GetAsync($"/api/findings/{opened.Id}")).ReadAsync<FindingDetailDto>();
        var asItsRun = (await (await auditor.GetAsync($"/api/findings?run={opened.RunId}&target=NQ02-1&unit=XA2")).ReadAsync<FindingPage>()).Items.Single();
        old.Finding.State.Should().Be(asItsRun.State).And.Be(FindingState.New);
        old.SupersededByRunId.Should().Be(resolving.RunId);
        old.SupersededBy!.Id.Should().Be(resolving.Id);
        old.SupersededBy.Resolution.Should().Be(FindingResolution.Remedied);
        old.Explanation.Should().Contain("Trạng thái: Mới").And.NotContain("Chưa khắc phục").And.NotContain("Persisting")
            .And.Contain($"đã được lần đánh giá #{resolving.RunId} ghi nhận là Đã khắc phục (phát hiện #{resolving.Id})")
            .And.Contain($"run #{resolving.RunId} recorded it as Resolved (finding #{resolving.Id})");
        old.Evidence.GetProperty("values").GetProperty("REGULATION_ISSUED").GetRawText().Should().Be("0", "the shortfall closed stays provable from its row");

        // The resolving row: the value its run read, met; and the row of the shortfall it closed.
        var detail = await (await auditor.GetAsync($"/api/findings/{resolving.Id}")).ReadAsync<FindingDetailDto>();
        detail.Finding.Resolution.Should().Be(FindingResolution.Remedied);
        detail.Finding.Measurement.Outcome.Should().Be(FindingOutcome.Met);
        detail.Finding.Measured.Should().Be("1");
        detail.Evidence.GetProperty("status").GetString().Should().Be("Met");
        detail.Evidence.GetProperty("values").GetProperty("REGULATION_ISSUED").GetRawText().Should().Be("1");
        detail.Supersedes!.Id.Should().Be(opened.Id);
        detail.Explanation.Should().Contain("Kết quả: Ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở: có; đạt").And.NotContain(": không")
            .And.Contain("Measured: REGULATION_ISSUED = 1; met").And.Contain($"phát hiện #{opened.Id}");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_finding_resolved_because_its_unit_closed_says_nothing_was_measured_instead_of_repeating_the_old_figures(string provider)
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Create(provider, "truthclosed")));
        var auditor = await bed.AsAsync(Role.Auditor, "P");
        var opened = (await (await auditor.GetAsync("/api/findings?period=2020S1&target=NQ02-1&unit=XA2")).ReadAsync<FindingPage>()).Items.Single();

        await bed.Engine.ImportAsync(ImportKind.Units, "close.csv", Province.UnitsHeader + "XA2,UBND Xã Hai,Commune,C2,true,25,xa2@example.vn,,2020-04-30\n");
        await bed.Engine.Evaluations.EvaluateAsync(ApiTestbed.Period, null, RunTrigger.Manual);
        var old = await (await auditor.GetAsync($"/api/findings/{opened.Id}")).ReadAsync<FindingDetailDto>();
        var detail = await (await auditor.GetAsync($"/api/findings/{old.SupersededBy!.Id}")).ReadAsync<FindingDetailDto>();

        old.Finding.State.Should().Be(FindingState.New);
        old.Explanation.Should().Contain($"đã được lần đánh giá #{detail.Finding.RunId} ghi nhận là Đơn vị ngừng hoạt động từ 30/04/2020, không còn thuộc diện");
        detail.Finding.Resolution.Should().Be(FindingResolution.UnitClosed);
        detail.Finding.Measurement.Outcome.Should().Be(FindingOutcome.NotMeasured);
        detail.Finding.Measurement.Value.Should().BeNull();
        detail.Evidence.GetProperty("status").GetString().Should().Be("NotMeasured");
        detail.Evidence.TryGetProperty("values", out _).Should().BeFalse("the run read nothing of a unit that closed");
        detail.Evidence.GetProperty("test").GetProperty("population").GetString().Should().NotBeNullOrEmpty("the test it was held to stays");
        detail.Explanation.Should().Contain($"Kết quả: lần đánh giá #{detail.Finding.RunId} không đo đối tượng này").And.NotContain(": không;")
            .And.NotContain("quy chế thực hiện dân chủ ở cơ sở: không");
        detail.Supersedes!.Id.Should().Be(opened.Id);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;
using QcdcCompliance.Submissions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// A quarter (2020Q1) is no period a user may name: no indicator is reported per quarter and committees review by
/// half-year and year, so a quarter held only empty runs, empty templates and 0/0 reports. Every door refuses it with the
/// words of any other bad period code; a quarter an older version stored is still read.
/// </summary>
public sealed class QuarterPeriodTests
{
    private const string Refusal = "'2020Q1' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)";

    private static async Task<string> StoredAsync(Engine engine)
    {
        await using var db = engine.Db();
        return string.Join(", ",
            $"periods={await db.Periods.CountAsync()}", $"runs={await db.EvaluationRuns.CountAsync()}", $"findings={await db.Findings.CountAsync()}",
            $"values={await db.DataValues.CountAsync()}", $"sign-offs={await db.SignOffs.CountAsync()}");
    }

    [Fact]
    public async Task A_quarter_is_refused_at_every_door_with_the_words_of_any_other_bad_period_and_nothing_is_stored()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports().AddQcdcDecisions()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.SomeValues2020S1);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var before = await StoredAsync(engine);
        var services = engine.Services;

        await FluentActions.Awaiting(() => engine.Evaluations.EvaluateAsync("2020Q1", null, RunTrigger.Manual))
            .Should().ThrowExactlyAsync<NotAPeriodException>().WithMessage(Refusal);
        await FluentActions.Awaiting(() => services.GetRequiredService<ReportingTemplates>().ForAreaAsync("2020Q1", "P"))
            .Should().ThrowExactlyAsync<NotAPeriodException>().WithMessage(Refusal);
        await FluentActions.Awaiting(() => services.GetRequiredService<CompletenessQueries>().ForAreaAsync("2020Q1", "P"))
            .Should().ThrowExactlyAsync<NotAPeriodException>().WithMessage(Refusal);
        await FluentActions.Awaiting(() => services.GetRequiredService<ReviewReports>().WriteAsync("2020Q1", "P", ReportFormat.Html, ReportLanguage.Vi))
            .Should().ThrowExactlyAsync<NotAPeriodException>().WithMessage(Refusal);
        await FluentActions.Awaiting(() => services.GetRequiredService<WhatIfService>().EvaluateAsync(
                new WhatIfRequest("2020Q1", "proposal.json", Decisions.WhatIfTests.Proposal(), null, "test")))
            .Should().ThrowExactlyAsync<NotAPeriodException>().WithMessage(Refusal);
        await FluentActions.Awaiting(() => services.GetRequiredService<SignOffService>().SignOffAsync("2020Q1", "P", "Quý 1", "test"))
            .Should().ThrowExactlyAsync<NotAPeriodException>().WithMessage(Refusal);
        var values = await engine.RefusedAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020Q1,MEDIATION_CASES,3,\n");

        values.Select(p => p.ToString()).Should().Equal($"values.csv:2:period: {Refusal}");
        values.Select(ImportWording.Vietnamese).Should().Equal("'2020Q1' không phải kỳ báo cáo; ghi 2025 (năm), 2025S1 hoặc 2025S2 (6 tháng)");
        (await StoredAsync(engine)).Should().Be(before, "no period row, run, finding, value or sign-off of 2020Q1");
    }

    [Fact]
    public async Task A_quarter_an_older_version_stored_is_still_read()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var quarter = PeriodCalendar.Default.Create("2020Q1");
        await using (var db = engine.Db())
            await PeriodStore.InsertAsync(db, [quarter], CancellationToken.None);

        quarter.Should().BeEquivalentTo(new { Type = PeriodType.Quarter, Start = new DateOnly(2020, 1, 1), End = new DateOnly(2020, 3, 31) }, o => o.ExcludingMissingMembers());
        (await engine.Findings.ListAsync(new FindingFilter("2020Q1"))).Should().BeEmpty("its findings are read as any period's");
        PeriodCode.TryParseStored("2020Q1", out var stored).Should().BeTrue();
        stored.Code.Should().Be("2020Q1");
        PeriodCode.TryParse("2020Q1", out _).Should().BeFalse("a user may not name it");
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// A province's resolution replaced mid-year by another with the same target codes: each period is judged by the set in
/// force on its last day. Both sets had judged the period they both overlapped, and the run aborted on one target code
/// found twice ("two findings of one run for …", exit 134).
/// </summary>
public sealed class ReplacedSetTests
{
    /// <summary>A dialogue target: the old set asks 2 a period of every commune, the new one 1 of at least half of them.</summary>
    private static byte[] Set(string code, string? validFrom, string? validTo, int minimum, string threshold) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["code"] = code, ["title"] = $"Nghị quyết {code}", ["issued"] = "2019-12-01", ["validFrom"] = validFrom, ["validTo"] = validTo, ["scope"] = "P",
        ["targets"] = new JsonArray(new JsonObject
        {
            ["code"] = "P-DIA", ["rule"] = "COUNT-AT-LEAST", ["indicators"] = new JsonArray("DIALOGUE_CONFERENCES"), ["population"] = "XA",
            ["operator"] = ">=", ["threshold"] = threshold, ["minimum"] = minimum, ["measuredOver"] = new JsonArray("Unit", "Province"),
            ["periods"] = new JsonArray("S1", "S2", "Year"), ["textVi"] = $"Đối thoại với Nhân dân ({code})",
        }),
    }.ToJsonString());

    private const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,DIALOGUE_CONFERENCES,1,
        XA1,2020S2,DIALOGUE_CONFERENCES,0,
        XA2,2020S1,DIALOGUE_CONFERENCES,2,
        XA2,2020S2,DIALOGUE_CONFERENCES,2,
        XA3,2020S1,DIALOGUE_CONFERENCES,1,
        XA3,2020S2,DIALOGUE_CONFERENCES,2,

        """;

    [Theory]
    [InlineData("2020-06-30", "2020-07-01")]
    [InlineData("2020-09-30", "2020-10-01")]
    public async Task A_resolution_replaced_mid_year_judges_each_period_by_the_set_in_force_on_its_last_day(string oldEnds, string newStarts)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var next = Set("P-NQ-02", newStarts, null, minimum: 1, threshold: "50%");
        await engine.ImportTargetsAsync("old.json", Set("P-NQ-01", null, oldEnds, minimum: 2, threshold: "100%"), scope: null);
        await engine.ImportTargetsAsync("new.json", next, scope: null);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);

        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);
        var year = (await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual)).Single();

        async Task<List<(string Subject, string Set)>> Judged(string period) =>
            (await engine.Findings.ListAsync(new FindingFilter(period) { Target = "P-DIA" }))
            .Select(f => (f.SubjectCode, JsonNode.Parse(f.Evidence)!["resolution"]!.GetValue<string>())).ToList();
        (await Judged("2020S1")).Should().BeEquivalentTo([("XA1", "P-NQ-01"), ("XA3", "P-NQ-01"), ("P", "P-NQ-01")],
            "the old set is in force on 30/6: two dialogues of every commune, and XA1 and XA3 held one");
        (await Judged("2020S2")).Should().BeEquivalentTo([("XA1", "P-NQ-02")],
            "the new set is in force on 31/12: one dialogue, of at least half the communes (2 of 3 held one)");
        (await Judged("2020")).Should().BeEquivalentTo([("XA1", "P-NQ-02")],
            "the year is judged by the new set, its half-year minimum of one doubled over the year's sum (README, Periods): XA1 held one dialogue in the year, XA2 four, XA3 three");
        year.Areas.Single(a => a.TargetCode == "P-DIA" && a.AreaCode == "P").Status.Should().Be(AreaStatus.Met);

        // The what-if of the new set on the second half compares it with the run that set made, without failing on the code twice.
        var whatIf = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S2", "new.json", next, null, "test"));
        whatIf.Changed.Should().Be(0, "the new set is what judged the half");
        whatIf.Rows.Should().Contain(r => r.Target == "P-DIA" && r.SubjectCode == "XA1" && r.Now == Standing.Short && r.Proposed == Standing.Short);

        // And on the first half, where it is applied as if in force, in the place of the old set that defines the same code.
        var firstHalf = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "new.json", next, null, "test"));
        firstHalf.AppliedAsIfInForce.Should().NotBeNull();
        firstHalf.Rows.Where(r => r.Target == "P-DIA" && r.Changes).Select(r => (r.SubjectCode, r.Now, r.Proposed)).Should().BeEquivalentTo(
            [("XA1", Standing.Short, Standing.Met), ("XA3", Standing.Short, Standing.Met), ("P", Standing.Short, Standing.Met)],
            "one dialogue, of half the communes, where the old set asked two of every commune");
    }

    [Fact]
    public async Task The_threshold_and_text_shown_beside_each_periods_verdict_are_those_of_the_set_that_judged_it()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        // Neither setting has dates of its own: the second half and the year had shown the set stored first, the replaced one.
        await engine.ImportTargetsAsync("old.json", Set("P-NQ-09", null, "2020-06-30", minimum: 2, threshold: "100%"), scope: null);
        await engine.ImportTargetsAsync("new.json", Set("P-NQ-02", "2020-07-01", null, minimum: 1, threshold: "50%"), scope: null);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        foreach (var period in new[] { "2020S1", "2020S2", "2020" })
            await engine.Evaluations.EvaluateAsync(period, null, RunTrigger.Manual);
        var compliance = engine.Services.GetRequiredService<ComplianceQueries>();

        async Task<(string Test, string Text, AreaStatus Status)> Shown(string period) =>
            (await compliance.ForAreaAsync(period, "P")).Totals.Where(r => r.TargetCode == "P-DIA")
            .Select(r => (r.Threshold!.Value.ToString(), r.TextVi, r.Status)).Single();
        (await Shown("2020S1")).Should().Be((">= 100%", "Đối thoại với Nhân dân (P-NQ-09)", AreaStatus.Short), "the old set judged the first half");
        (await Shown("2020S2")).Should().Be((">= 50%", "Đối thoại với Nhân dân (P-NQ-02)", AreaStatus.Met), "the new set judged the second half");
        (await Shown("2020")).Should().Be((">= 50%", "Đối thoại với Nhân dân (P-NQ-02)", AreaStatus.Met));

        // The target page's chart draws each point's threshold line at the same test.
        var points = (await engine.Services.GetRequiredService<TrendQueries>().ForAsync("P", "P-DIA")).Points;
        points.Select(p => (p.Period, p.Test)).Should().BeEquivalentTo([("2020S1", ">= 100%"), ("2020S2", ">= 50%"), ("2020", ">= 50%")]);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Decisions;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Decisions;

/// <summary>What-if: a proposed target set on a period's stored data, through the same engine, storing nothing.</summary>
public sealed class WhatIfTests(ITestOutputHelper output)
{
    internal const string Values = Province.ValuesHeader +
        """
        XA1,2020S1,MEDIATION_CASES,10,
        XA1,2020S1,MEDIATION_SUCCESSES,8,
        XA2,2020S1,MEDIATION_CASES,10,
        XA2,2020S1,MEDIATION_SUCCESSES,8,
        XA3,2020S1,MEDIATION_CASES,10,
        XA3,2020S1,MEDIATION_SUCCESSES,10,
        XA1,2020S1,COMPLAINTS_RECEIVED,4,
        XA1,2020S1,COMPLAINTS_RESOLVED,4,
        XA2,2020S1,COMPLAINTS_RECEIVED,4,
        XA2,2020S1,COMPLAINTS_RESOLVED,3,
        XA3,2020S1,COMPLAINTS_RECEIVED,0,
        XA3,2020S1,COMPLAINTS_RESOLVED,0,
        CQ1,2020S1,COMPLAINTS_RECEIVED,2,
        CQ1,2020S1,COMPLAINTS_RESOLVED,2,
        XA1,2020S1,REGULATION_ISSUED,true,
        XA2,2020S1,REGULATION_ISSUED,false,
        CQ1,2020S1,REGULATION_ISSUED,true,
        DN1,2020S1,REGULATION_ISSUED,true,

        """;

    /// <summary>
    /// The committee's KPIs for P with the mediation threshold raised from 70% to 90% and a new target reusing a shipped
    /// rule (NQ02-1, regulations issued) with a threshold of 75% over districts only.
    /// </summary>
    internal static byte[] Proposal()
    {
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("committee", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        var targets = set["targets"]!.AsArray();
        targets.Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!["threshold"] = 0.9;
        targets.Add(new JsonObject
        {
            ["code"] = "KPI-REGULATION", ["rule"] = "NQ02-1", ["population"] = "XA,CQ,SN,DNNN,DN,LL", ["operator"] = ">=", ["threshold"] = 0.75,
            ["measuredOver"] = new JsonArray("Unit", "District", "Province"), ["periods"] = new JsonArray("S1", "S2"), ["severity"] = "Low",
            ["textVi"] = "Ít nhất 75% đơn vị ban hành quy chế dân chủ", ["source"] = "committee", ["basis"] = "Đề xuất của Ban Chỉ đạo",
        });
        return Encoding.UTF8.GetBytes(set.ToJsonString());
    }

    /// <summary>The province on SQLite with the shipped sets and <see cref="Values"/>, 2020S1 evaluated.</summary>
    private static async Task<Engine> EvaluatedAsync()
    {
        var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        return engine;
    }

    [Fact]
    public async Task A_what_if_equals_a_real_evaluation_of_the_proposed_set_on_a_copy_of_the_database_and_changes_nothing()
    {
        await using var engine = await EvaluatedAsync();
        var path = engine.Storage.Database!;
        var before = await EveryTableAsync(path);
        var bytesBefore = SHA256.HashData(await File.ReadAllBytesAsync(path));

        var whatIf = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Proposal(), null, "test"));

        (await EveryTableAsync(path)).Should().Equal(before, "a what-if stores nothing");
        SHA256.HashData(await File.ReadAllBytesAsync(path)).Should().Equal(bytesBefore, "not one byte of the database changed");
        before.Should().Contain(t => t.Key == "EvaluationRuns" && t.Value == 1).And.Contain(t => t.Key == "OutboxMessages");

        // The issue's figures: D1 settled 16 of 20 cases (80%), met at 70%, short at 90% by 2 cases.
        var d1 = whatIf.Rows.Single(r => r is { Target: "KPI-MEDIATION", SubjectCode: "D1" });
        (d1.Now, d1.Proposed).Should().Be((Standing.Met, Standing.Short));
        d1.ProposedFigures!.Gap.Should().Be(2);
        d1.ProposedFigures.Test.Should().Be(">= 90%");
        whatIf.Changes.Should().Contain(c => c.SubjectType == SubjectType.Area && c.Now == Standing.Met && c.Proposed == Standing.Short);
        whatIf.Rows.Should().Contain(r => r.Target == "KPI-REGULATION" && r.SubjectCode == "XA2" && r.Now == Standing.NotApplicable && r.Proposed == Standing.Short);


        // The same set imported and evaluated for real, on a copy of the database.
        var copy = Path.Combine(TestFolders.Root, $"whatif-copy-{Guid.NewGuid():N}.db");
        SqliteConnection.ClearAllPools();
        File.Copy(path, copy);
        await using (var real = Engine.SqliteFile(copy))
        {
            await real.ImportTargetsAsync("proposal.json", Proposal(), null);
            await real.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
            await using var db = real.Db();
            var codes = whatIf.Targets.ToList();
            codes.Should().BeEquivalentTo("KPI-COMPLAINTS", "KPI-MEDIATION", "KPI-REGULATION");
            var tree = await db.LoadAreaTreeAsync();
            // The roll-ups the run judges: those at the levels each target is measured over.
            var levels = (await db.Targets.AsNoTracking().Where(t => codes.Contains(t.Code)).ToListAsync()).ToDictionary(t => t.Code, t => t.MeasuredOver);
            var areas = (await db.AreaResults.AsNoTracking().Where(a => a.SupersededByRunId == null && codes.Contains(a.TargetCode)).ToListAsync())
                .Where(a => (levels[a.TargetCode] & Findings.FindingBuilder.LevelFlag(a.AreaLevel)) != 0)
                .ToDictionary(a => (a.TargetCode, tree[a.AreaId].Code), a => a);
            var findings = await db.Findings.AsNoTracking()
                .Where(f => f.SupersededByRunId == null && f.State != FindingState.Resolved && codes.Contains(f.TargetCode)).ToListAsync();

            var areaRows = whatIf.Rows.Where(r => r.SubjectType == SubjectType.Area && r.Proposed != Standing.NotApplicable).ToList();
            areaRows.Select(r => (r.Target, r.SubjectCode, Status: r.Proposed, r.ProposedFigures!.Numerator, r.ProposedFigures.Denominator))
                // A ratio over zero cases (D2 received no complaint) is rolled up and not applicable: no row on either side.
                .Should().BeEquivalentTo(areas.Where(a => a.Value.Status != AreaStatus.NotApplicable).Select(a => (a.Key.TargetCode, a.Key.Item2, Status: Standings.Of(a.Value.Status), (long?)a.Value.Numerator, (long?)a.Value.Denominator)));
            var areaFindings = findings.Where(f => f.SubjectType == SubjectType.Area).ToDictionary(f => (f.TargetCode, f.SubjectCode), f => f.Measurement.Gap);
            areaFindings.Should().NotBeEmpty();
            foreach (var ((target, subject), gap) in areaFindings)
                areaRows.Single(r => r.Target == target && r.SubjectCode == subject).ProposedFigures!.Gap.Should().Be(gap, $"{target} {subject}");
            whatIf.Rows.Where(r => r.SubjectType == SubjectType.Unit && Standings.FallsShort(r.Proposed)).Select(r => (r.Target, r.SubjectCode, r.Proposed))
                .Should().BeEquivalentTo(findings.Where(f => f.SubjectType == SubjectType.Unit).Select(f => (f.TargetCode, f.SubjectCode, Standings.Of(f.Measurement.Outcome))));
        }

        File.Delete(copy);

        // The CLI prints the same as CSV.
        var file = Path.Combine(TestFolders.NewFolder("whatif"), "proposal.json");
        await File.WriteAllBytesAsync(file, Proposal());
        var csv = await HostProcess.RunAsync(engine.Storage, "whatif", "--period", "2020S1", "--targets", file, "--format", "csv");
        output.WriteLine(csv);
        csv.Should().StartWith("target,subject_type,subject_code,now,proposed,");
        csv.Split('\n').Should().Contain(l => l.StartsWith("KPI-MEDIATION,Area,D1,met,short,", StringComparison.Ordinal));
        csv.Split('\n').Should().HaveCount(whatIf.Rows.Count + 1);
        (await EveryTableAsync(path)).Should().Equal(before, "the CLI's what-if stored nothing either");
    }

    /// <summary>The committee's KPIs for P with only the mediation threshold raised from 70% to 90%: targets measured over districts and the province.</summary>
    private static JsonObject MediationAt90()
    {
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("committee", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!["threshold"] = 0.9;
        return set;
    }

    [Fact]
    public async Task What_would_change_is_what_importing_and_evaluating_the_set_changes_and_no_commune_is_counted_for_a_target_measured_over_districts()
    {
        await using var engine = await EvaluatedAsync();
        var proposal = Encoding.UTF8.GetBytes(MediationAt90().ToJsonString());
        var whatIf = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", proposal, null, "test"));

        // C1 settled 8 of 10 (80%), short of 90%: but a commune's share of a target measured over districts is judged by no run.
        whatIf.Rows.Should().NotContain(r => r.SubjectType == SubjectType.Area && (r.SubjectCode == "C1" || r.SubjectCode == "C2" || r.SubjectCode == "C3"));

        // The same set imported and evaluated for real, on a copy: the findings that run records as new or resolved.
        var copy = Path.Combine(TestFolders.Root, $"whatif-count-{Guid.NewGuid():N}.db");
        SqliteConnection.ClearAllPools();
        File.Copy(engine.Storage.Database!, copy);
        List<(string Target, string Subject)> changed;
        await using (var real = Engine.SqliteFile(copy))
        {
            await real.ImportTargetsAsync("proposal.json", proposal, null);
            await real.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
            await using var db = real.Db();
            var codes = whatIf.Targets.ToList();
            var runId = await db.EvaluationRuns.MaxAsync(r => r.Id);
            changed = (await db.Findings.AsNoTracking()
                    .Where(f => f.RunId == runId && (f.State == FindingState.New || f.State == FindingState.Resolved) && codes.Contains(f.TargetCode))
                    .Select(f => new { f.TargetCode, f.SubjectCode }).ToListAsync())
                .Select(f => (f.TargetCode, f.SubjectCode)).ToList();
        }

        File.Delete(copy);
        changed.Should().BeEquivalentTo([("KPI-MEDIATION", "D1"), ("KPI-MEDIATION", "P")], "D1 (16/20) and the province (26/30) fall short of 90%; D2 (10/10) still meets it");
        whatIf.Changed.Should().Be(changed.Count, "the what-if's count of what would change is the count of findings the run changes");
        whatIf.Rows.Where(r => r.Changes).Select(r => (r.Target, r.SubjectCode)).Should().BeEquivalentTo(changed);
    }

    [Fact]
    public async Task Next_years_set_is_tried_on_this_years_data_as_if_in_force_by_its_first_setting_and_the_answer_says_so()
    {
        await using var engine = await EvaluatedAsync();
        var service = engine.Services.GetRequiredService<WhatIfService>();
        var undated = await service.EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Encoding.UTF8.GetBytes(MediationAt90().ToJsonString()), null, "test"));

        // The resolution for next year, as it would be written: in force from 1/1/2021, mediation at 90% for 2021 and 50% from 2022.
        var nextYear = MediationAt90();
        nextYear["validFrom"] = "2021-01-01";
        nextYear["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!["settings"] = new JsonArray(
            new JsonObject { ["to"] = "2021-12-31", ["threshold"] = 0.9 },
            new JsonObject { ["from"] = "2022-01-01", ["threshold"] = 0.5 });
        var bytes = Encoding.UTF8.GetBytes(nextYear.ToJsonString());
        var whatIf = await service.EvaluateAsync(new WhatIfRequest("2020S1", "next-year.json", bytes, null, "test"));

        whatIf.AppliedAsIfInForce.Should().Be(new ProposalValidity(new DateOnly(2021, 1, 1), null));
        undated.AppliedAsIfInForce.Should().BeNull("a set in force in the period is applied as written");
        whatIf.Rows.Should().NotContain(r => r.Proposed == Standing.NotApplicable && r.Now != Standing.NotApplicable, "the proposal is measured, not 'not in force'");
        whatIf.Rows.Should().BeEquivalentTo(undated.Rows, o => o.WithStrictOrdering(), "its 2021 setting (90%) is the undated proposal's");
        whatIf.Rows.Single(r => r is { Target: "KPI-MEDIATION", SubjectCode: "D1" }).Should().Match<WhatIfRow>(r => r.Now == Standing.Met && r.Proposed == Standing.Short);
        whatIf.Thresholds["KPI-MEDIATION"].Proposed.Should().Be(new Threshold(ComparisonOperator.AtLeast, 900_000));

        // The command line and the JSON say it in words.
        var file = Path.Combine(TestFolders.NewFolder("whatif-next-year"), "next-year.json");
        await File.WriteAllBytesAsync(file, bytes);
        var table = await HostProcess.RunAsync(engine.Storage, "whatif", "--period", "2020S1", "--targets", file);
        output.WriteLine(table);
        table.Should().Contain("Bộ chỉ tiêu đề xuất chưa có hiệu lực trong 6 tháng đầu năm 2020 (có hiệu lực từ 01/01/2021); kết quả dưới đây áp dụng nó như thể đã có hiệu lực, mỗi chỉ tiêu theo mức đầu tiên sau kỳ.\n"
                                 + "The proposed set is not in force in the first half of 2020 (in force from 01/01/2021); it was applied as if it were, each target by its first setting after the period.\n")
            .And.Contain($"{whatIf.Changed} would change");
        var json = JsonNode.Parse(await HostProcess.RunAsync(engine.Storage, "whatif", "--period", "2020S1", "--targets", file, "--format", "json"))!;
        json["appliedAsIfInForce"]!["from"]!.GetValue<string>().Should().Be("2021-01-01");
        QcdcCompliance.Reports.ReportWording.Vietnamese.AsIfInForce(whatIf, "6 tháng đầu năm 2020").Should()
            .Be("Bộ chỉ tiêu đề xuất chưa có hiệu lực trong 6 tháng đầu năm 2020 (có hiệu lực từ 01/01/2021); kết quả dưới đây áp dụng nó như thể đã có hiệu lực, mỗi chỉ tiêu theo mức đầu tiên sau kỳ.");
    }

    [Fact]
    public async Task A_re_dated_sets_setting_that_ends_before_the_set_starts_is_never_applied_and_the_answer_and_the_import_say_so()
    {
        await using var engine = await EvaluatedAsync();
        // This year's set copied for next year with only its validFrom changed: its setting "to 2020-12-31" now starts with
        // the set on 1/1/2021, so it can never be in force; the 2021 setting (50%) is the first after 2020S1.
        var nextYear = MediationAt90();
        nextYear["validFrom"] = "2021-01-01";
        nextYear["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!["settings"] = new JsonArray(
            new JsonObject { ["to"] = "2020-12-31", ["threshold"] = 0.9 },
            new JsonObject { ["from"] = "2021-01-01", ["threshold"] = 0.5 });
        var bytes = Encoding.UTF8.GetBytes(nextYear.ToJsonString());
        var whatIf = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "next-year.json", bytes, null, "test"));

        whatIf.Thresholds["KPI-MEDIATION"].Proposed.Should().Be(new Threshold(ComparisonOperator.AtLeast, 500_000), "not the setting that ends before the set starts");
        whatIf.Rows.Single(r => r is { Target: "KPI-MEDIATION", SubjectCode: "D1" }).Proposed.Should().Be(Standing.Met, "D1 settles more than 50%");
        whatIf.AppliedAsIfInForce!.NeverInForce.Should().Equal(new NeverInForce("KPI-MEDIATION", new DateOnly(2021, 1, 1), new DateOnly(2020, 12, 31)));
        QcdcCompliance.Reports.ReportWording.Vietnamese.AsIfInForce(whatIf, "6 tháng đầu năm 2020").Should()
            .EndWith(" Không áp dụng mức đến ngày 31/12/2020 của tỷ lệ hòa giải thành: mức đó kết thúc trước ngày bắt đầu (01/01/2021) nên không bao giờ có hiệu lực.");
        QcdcCompliance.Reports.ReportWording.English.AsIfInForce(whatIf, "the first half of 2020").Should()
            .EndWith(" Set aside the setting of Mediation success rate until 31/12/2020: it ends before it starts (01/01/2021), so it is never in force.");

        // Importing it keeps the set (re-dating the shipped set is how next year's is written) and says so.
        var summary = await engine.ImportTargetsAsync("next-year.json", bytes, null);
        summary.Notes.Should().Contain("the setting of KPI-MEDIATION until 2020-12-31 ends before it starts (2021-01-01, with the set's validFrom): no period is judged by it");
    }

    [Fact]
    public async Task The_side_of_now_is_each_open_unit_finding_of_the_stored_run()
    {
        await using var engine = await EvaluatedAsync();
        // The resolution's targets, measured unit by unit, with target 1 lowered to 80%.
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("02-nq-tu", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "NQ02-1")!["threshold"] = "80%";

        var whatIf = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020S1", "nq02.json", Encoding.UTF8.GetBytes(set.ToJsonString()), null, "test"));

        await using var db = engine.Db();
        var compared = whatIf.Targets.ToList();
        var stored = await db.Findings.AsNoTracking()
            .Where(f => f.SupersededByRunId == null && f.State != FindingState.Resolved && f.SubjectType == SubjectType.Unit && compared.Contains(f.TargetCode))
            .ToListAsync();
        stored.Select(f => f.Measurement.Outcome).Should().Contain([FindingOutcome.Short, FindingOutcome.Missing]);
        whatIf.Rows.Where(r => r.SubjectType == SubjectType.Unit && Standings.FallsShort(r.Now)).Select(r => (r.Target, r.SubjectCode, r.Now))
            .Should().BeEquivalentTo(stored.Select(f => (f.TargetCode, f.SubjectCode, Standings.Of(f.Measurement.Outcome))));
    }

    [Fact]
    public async Task A_unit_added_after_the_stored_run_is_judged_now_as_its_data_stands_and_the_set_in_force_changes_nothing_for_it()
    {
        await using var engine = await EvaluatedAsync();
        // After 2020S1 was run: an enterprise with a union, active since 1/1/2020, that has reported nothing.
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "DN-NEW,Công ty Mới,NonStateEnterprise,C1,true,10,,2020-01-01,\n");
        // The resolution's set exactly as it is in force.
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("02-nq-tu", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        var proposal = set.ToJsonString();

        var whatIf = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020S1", "nq02.json", Encoding.UTF8.GetBytes(proposal), null, "test"));

        var rows = whatIf.Rows.Where(r => r.SubjectCode == "DN-NEW").ToList();
        rows.Should().NotBeEmpty().And.OnlyContain(r => r.Now == Standing.Incomplete && r.Proposed == Standing.Incomplete && !r.Changes,
            "now is the set in force on the data as it stands: the unit has reported nothing, never 'met (0/0)', and the same set changes nothing for it");
        whatIf.Changes.Should().NotContain(c => c.SubjectType == SubjectType.Unit, "an unchanged set moves no unit");

        // The API, the command line and the dashboard say so.
        await using var bed = await Api.ApiTestbed.StartAsync(engine);
        var api = await bed.AsAsync(Role.Committee, "P");
        var answer = await api.PostAsync("/api/whatif?period=2020S1&area=C1", new StringContent(proposal, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        answer.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, json.ToJsonString());
        json["items"]!.AsArray().Where(r => r!["subjectCode"]!.GetValue<string>() == "DN-NEW").Select(r => r!["now"]!.GetValue<string>())
            .Should().NotBeEmpty().And.OnlyContain(now => now == "incomplete");
        json["changes"]!.AsArray().Should().NotContain(c => c!["subjectType"]!.GetValue<string>() == "Unit");

        var (committee, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var page = await committee.SubmitAsync("/whatif?area=C1", "/whatif",
            new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "C1", ["targets"] = proposal });
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        page.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, html);
        html.Should().Contain("data-unit=\"DN-NEW\"").And.NotContain("id=\"whatif-changes\"", "an unchanged set changes nothing");

        var file = Path.Combine(TestFolders.NewFolder("whatif-new-unit"), "nq02.json");
        await File.WriteAllTextAsync(file, proposal);
        var cli = await HostProcess.RunToExitAsync(engine.Storage, "whatif", "--period", "2020S1", "--area", "C1", "--targets", file, "--format", "csv");
        cli.ExitCode.Should().Be(0, cli.Error);
        cli.Output.Split('\n').Where(l => l.Contains(",DN-NEW,", StringComparison.Ordinal)).Should().NotBeEmpty()
            .And.OnlyContain(l => l.Contains(",Unit,DN-NEW,incomplete,incomplete,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_changed_after_the_stored_run_is_no_change_the_proposal_makes_for_units_or_areas()
    {
        await using var engine = await EvaluatedAsync();
        // After 2020S1 was run, XA2 issues its regulation (short of NQ02-1 in the run), imported without evaluating.
        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("02-nq-tu", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";

        // The set exactly as it is in force: it changes nothing, however the data moved since the run.
        var same = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020S1", "nq02.json", Encoding.UTF8.GetBytes(set.ToJsonString()), null, "test"));
        same.Changed.Should().Be(0);
        same.Changes.Should().BeEmpty();
        same.Rows.Where(r => r.SubjectType == SubjectType.Area).Should().OnlyContain(r => r.Now == r.Proposed && r.NowFigures == r.ProposedFigures,
            "an identical test over the same data gives the same figures");
        same.Rows.Should().NotContain(r => r.Target == "NQ02-1" && r.SubjectCode == "XA2", "XA2 complies now, on either side");

        // Target 1 lowered to 80%: what changes is what the threshold changes, not XA2's correction.
        set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "NQ02-1")!["threshold"] = "80%";
        var lowered = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020S1", "nq02.json", Encoding.UTF8.GetBytes(set.ToJsonString()), null, "test"));
        lowered.Rows.Where(r => r.SubjectType == SubjectType.Unit).Should().NotContain(r => r.Changes, "a unit's own test does not move with an area threshold");
        lowered.Rows.Where(r => r.SubjectType == SubjectType.Area).Should().OnlyContain(r => r.NowFigures!.Numerator == r.ProposedFigures!.Numerator
            && r.NowFigures.Denominator == r.ProposedFigures.Denominator, "both sides read the data as it stands");
    }

    [Fact]
    public async Task A_target_added_or_dropped_is_named_apart_and_only_subjects_moving_to_or_from_falling_short_count_as_changes()
    {
        await using var engine = await EvaluatedAsync();
        var service = engine.Services.GetRequiredService<WhatIfService>();

        // KPI-REGULATION is new: a unit that meets it was judged by no target before, and no finding is made of it.
        var added = await service.EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Proposal(), null, "test"));
        var newRows = added.Rows.Where(r => r.Target == "KPI-REGULATION").ToList();
        newRows.Should().Contain(r => r.Proposed == Standing.Met).And.OnlyContain(r => r.Now == Standing.NotApplicable);
        newRows.Where(r => r.Proposed == Standing.Met).Should().OnlyContain(r => !r.Changes, "met where it was not in force makes no finding");
        newRows.Where(r => Standings.FallsShort(r.Proposed)).Should().NotBeEmpty().And.OnlyContain(r => r.Changes, "a new finding would be made");
        added.Added.Should().Equal(new WhatIfTargetMove("KPI-REGULATION", newRows.Count(r => r.Proposed != Standing.NotApplicable)));
        added.Dropped.Should().BeEmpty();
        // The command line names the set and the target in words as the page does, in Vietnamese then English; the code stays in the table.
        var addedTable = QcdcCompliance.Host.Cli.WhatIfVerb.Table(added);
        addedTable.Should().Contain($"Chỉ tiêu thêm mới: ít nhất 75% đơn vị ban hành quy chế dân chủ. {added.Added[0].Subjects} kết quả được đánh giá theo chỉ tiêu này (không tính là thay đổi).\n"
                                    + $"Target added: {QcdcCompliance.Reports.ReportWording.English.TargetPhrase(added.Settings["KPI-REGULATION"], "KPI-REGULATION", inSentence: true)}. ")
            .And.NotContain("Target added: KPI-REGULATION")
            .And.StartWith($"Thử bộ chỉ tiêu theo {added.SetName} ({added.Set}, phạm vi {added.SetScope}) trên số liệu 6 tháng đầu năm 2020")
            .And.Contain($"What-if of the target set of {added.SetName} ({added.Set}, scope {added.SetScope}) on the first half of 2020");
        added.SetName.Should().NotBe(added.Set, "the proposal's set has a name to say");

        // NQ02-1 dropped: only the findings it resolves (short or incomplete now) change; the units and areas meeting it are counted apart.
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("02-nq-tu", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        var targets = set["targets"]!.AsArray();
        targets.Remove(targets.Single(t => t!["code"]!.GetValue<string>() == "NQ02-1"));
        var dropped = await service.EvaluateAsync(new WhatIfRequest("2020S1", "nq02.json", Encoding.UTF8.GetBytes(set.ToJsonString()), null, "test"));
        var judged = dropped.Rows.Where(r => r.Target == "NQ02-1" && r.Now is not (Standing.NotApplicable or Standing.NotEvaluated)).ToList();
        judged.Should().Contain(r => r.Now == Standing.Met).And.Contain(r => Standings.FallsShort(r.Now));
        dropped.Dropped.Should().Equal(new WhatIfTargetMove("NQ02-1", judged.Count));
        dropped.Changed.Should().Be(judged.Count(r => Standings.FallsShort(r.Now)));
        dropped.Changes.Should().NotContain(c => c.Now == Standing.Met);
        QcdcCompliance.Host.Cli.WhatIfVerb.Table(dropped).Should()
            .Contain($"Chỉ tiêu bị bỏ: chỉ tiêu 1 (xây dựng quy chế dân chủ). {judged.Count} kết quả không còn được đánh giá (chỉ những kết quả chưa đạt được tính là thay đổi).\n"
                     + $"Target dropped: Target 1 (democracy regulations). {judged.Count} {(judged.Count == 1 ? "result" : "results")} no longer judged")
            .And.NotContain("Target dropped: NQ02-1");

        // The page names them, and a new target's "now" is not "not applicable".
        await using var bed = await Api.ApiTestbed.StartAsync(engine);
        var (committee, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var page = await committee.SubmitAsync("/whatif?area=P", "/whatif",
            new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "P", ["targets"] = Encoding.UTF8.GetString(Proposal()) });
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        page.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, html);
        // The new target by its words, as the report's note on changed thresholds names a target (it has no short name: its text).
        html.Should().Contain($"Chỉ tiêu thêm mới: ít nhất 75% đơn vị ban hành quy chế dân chủ. {added.Added[0].Subjects} kết quả được đánh giá theo chỉ tiêu này (không tính là thay đổi).")
            .And.NotContain("thêm mới KPI-REGULATION")
            .And.MatchRegex("data-target=\"KPI-REGULATION\"[\\s\\S]*?data-col=\"threshold-now\">chưa có chỉ tiêu này<")
            .And.MatchRegex("data-target=\"KPI-REGULATION\"[\\s\\S]*?data-status=\"NotInSet\">chưa có chỉ tiêu này<");

        // A target dropped by its short name, in Vietnamese and in English.
        var withoutTarget1 = new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "P", ["targets"] = set.ToJsonString() };
        var vi = System.Net.WebUtility.HtmlDecode(await (await committee.SubmitAsync("/whatif?area=P", "/whatif", withoutTarget1)).Content.ReadAsStringAsync());
        vi.Should().Contain($"Chỉ tiêu bị bỏ: chỉ tiêu 1 (xây dựng quy chế dân chủ). {judged.Count} kết quả không còn được đánh giá (chỉ những kết quả chưa đạt được tính là thay đổi).")
            .And.NotContain("bỏ NQ02-1");
        var en = System.Net.WebUtility.HtmlDecode(await (await committee.SubmitAsync("/whatif?area=P&lang=en", "/whatif?lang=en", withoutTarget1)).Content.ReadAsStringAsync());
        en.Should().Contain($"Target dropped: Target 1 (democracy regulations). {judged.Count} {(judged.Count == 1 ? "result" : "results")} no longer judged (only those falling short count as changes).")
            .And.NotContain("dropped, NQ02-1");
    }

    [Fact]
    public async Task The_units_directly_under_an_area_have_their_own_row_so_the_rows_add_up_on_the_page()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcDecisions()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // An agency of the province itself, in neither district.
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader + "CQP,Sở Nội vụ,StateAgency,P,true,40,,,\n");
        await engine.ImportAsync(ImportKind.Values, "values.csv", Values + "CQP,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("02-nq-tu", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "NQ02-1")!["threshold"] = "80%";
        var proposal = set.ToJsonString();

        var whatIf = await engine.Services.GetRequiredService<WhatIfService>()
            .EvaluateAsync(new WhatIfRequest("2020S1", "nq02.json", Encoding.UTF8.GetBytes(proposal), null, "test"));
        var own = whatIf.OwnUnits.Should().ContainSingle(o => o.Target == "NQ02-1").Which;
        own.SubjectCode.Should().Be("P");
        own.ProposedFigures!.Population.Should().Be(1);
        own.Proposed.Should().Be(Standing.Met);
        var rows = whatIf.Rows.Where(r => r.Target == "NQ02-1" && r.SubjectType == SubjectType.Area).ToDictionary(r => r.SubjectCode);
        (rows["D1"].ProposedFigures!.Population + rows["D2"].ProposedFigures!.Population + own.ProposedFigures.Population)
            .Should().Be(rows["P"].ProposedFigures!.Population, "the districts and the province's own units add up to the province");
        whatIf.Rows.Should().NotContain(r => r.SubjectCode == "P" && r.SubjectName.StartsWith("Cơ quan", StringComparison.Ordinal), "the own units are no subject of their own");

        await using var bed = await Api.ApiTestbed.StartAsync(engine);
        var (committee, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var page = await committee.SubmitAsync("/whatif?area=P", "/whatif", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "P", ["targets"] = proposal });
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        page.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, html);
        html.Should().MatchRegex("data-target=\"NQ02-1\"[\\s\\S]*?<tr data-own=\"P\"[^>]*>\\s*<th scope=\"row\">Cơ quan, đơn vị trực thuộc tỉnh Thử</th>");
    }

    [Fact]
    public async Task A_what_if_over_an_area_keeps_to_its_subtree_and_a_bad_proposal_is_refused_like_an_import()
    {
        await using var engine = await EvaluatedAsync();
        var service = engine.Services.GetRequiredService<WhatIfService>();

        var d2 = await service.EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Proposal(), "D2", "test"));
        d2.Rows.Select(r => r.SubjectCode).Should().NotBeEmpty().And.OnlyContain(c => c == "D2" || c == "C3" || c == "XA3");

        var bad = Encoding.UTF8.GetString(Proposal()).Replace("\"NQ02-1\"", "\"NO-SUCH-RULE\"", StringComparison.Ordinal);
        var refused = () => service.EvaluateAsync(new WhatIfRequest("2020S1", "bad.json", Encoding.UTF8.GetBytes(bad), null, "test"));
        (await refused.Should().ThrowAsync<ImportRejectedException>()).Which.Problems.Should().Contain(p => p.ToString().Contains("NO-SUCH-RULE", StringComparison.Ordinal));

        // The command line names the problem and says what to do: nothing is imported by a what-if, so it is run again.
        var file = Path.Combine(TestFolders.NewFolder("whatif-bad"), "bad.json");
        await File.WriteAllTextAsync(file, bad);
        var cli = await HostProcess.RunToExitAsync(engine.Storage, "whatif", "--period", "2020S1", "--targets", file);
        cli.ExitCode.Should().Be(1);
        cli.Error.Should().Contain("NO-SUCH-RULE").And.Contain("bad.json was refused: 1 problem(s). Nothing was stored; fix them and run the command again.")
            .And.NotContain("import the file again");
    }

    [Fact]
    public async Task A_scope_outside_the_askers_area_is_refused_exactly_as_an_unknown_one_by_the_API_and_the_page()
    {
        await using var engine = await EvaluatedAsync();
        await Security.OtherProvince.AddAsync(engine);
        await using var bed = await Api.ApiTestbed.StartAsync(engine);
        var key = await bed.KeyAsync(Role.Committee, "D2");
        var api = bed.As(key);
        var (browser, _, _) = await Security.Browser.SignInAsync(bed.Host, key);
        string Scoped(string scope)
        {
            var set = JsonNode.Parse(Proposal())!;
            set["scope"] = scope;
            return set.ToJsonString();
        }

        async Task<(int Status, string Problems)> AskAsync(string scope)
        {
            var answer = await api.PostAsync("/api/whatif?period=2020S1", new StringContent(Scoped(scope), Encoding.UTF8, "application/json"));
            var body = await answer.Content.ReadAsStringAsync();
            return ((int)answer.StatusCode, answer.IsSuccessStatusCode ? "" : JsonNode.Parse(body)!["problems"]!.ToJsonString());
        }

        var province = await AskAsync("P");
        var own = await AskAsync("D2");
        // Saved by Notepad or PowerShell 5 as "UTF-8": with a byte order mark, read as without it.
        var marked = await api.PostAsync("/api/whatif?period=2020S1", new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Proposal()])
        {
            Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
        });
        var unknown = await AskAsync("NOWHERE");
        var otherProvince = await AskAsync("QD");
        var sibling = await AskAsync("D1");
        var page = await browser.SubmitAsync("/whatif", "/whatif", new Dictionary<string, string> { ["period"] = "2020S1", ["targets"] = Scoped("QD") });

        province.Status.Should().Be(200, "the province its area lies in is no secret to it");
        marked.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await marked.Content.ReadAsStringAsync());
        own.Status.Should().Be(422, "a copy of P's set for D2 alone would unbind the rest of P");
        own.Problems.Should().Contain("is stored for P, which contains D2").And.NotContain("unknown area", "its own district is no secret to it");
        unknown.Status.Should().Be(422);
        unknown.Problems.Should().Contain("unknown area NOWHERE");
        otherProvince.Status.Should().Be(422);
        otherProvince.Problems.Replace("QD", "NOWHERE", StringComparison.Ordinal).Should().Be(unknown.Problems, "an area of another province answers as one that does not exist");
        sibling.Status.Should().Be(422);
        sibling.Problems.Replace("D1", "NOWHERE", StringComparison.Ordinal).Should().Be(unknown.Problems, "so does a district beside its own");
        page.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()).Should().Contain("không có địa bàn QD; nhập danh mục địa bàn trước");
    }

    [Fact]
    public async Task The_dashboard_what_if_page_shows_now_and_proposed_per_target_for_committee_and_admin_only_with_its_token_and_stores_nothing()
    {
        await using var engine = await EvaluatedAsync();
        var expected = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Proposal(), "P", "test"));
        await using var bed = await Api.ApiTestbed.StartAsync(engine);
        var (committee, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var (auditor, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Auditor, "P"));
        var (admin, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Admin, "P"));
        // After signing in (a sign-in stamps the session's generation): from here on nothing may be written.
        var before = await EveryTableAsync(engine.Storage.Database!);
        var fields = new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "P", ["targets"] = Encoding.UTF8.GetString(Proposal()) };

        var form = await committee.GetAsync("/whatif?area=P");
        form.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await form.Content.ReadAsStringAsync()).Should().Contain("id=\"whatif-form\"").And.Contain("value=\"2020S1\"");
        var answer = await committee.SubmitAsync("/whatif?area=P", "/whatif", fields);
        var page = System.Net.WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        answer.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, page);
        page.Should().Contain("Thử bộ chỉ tiêu đề xuất").And.Contain($"{expected.Changed} kết quả sẽ thay đổi. Không có gì được lưu.")
            .And.Contain("Bộ chỉ tiêu theo Chỉ tiêu theo dõi của Ban Chỉ đạo tỉnh (tệp ", "the set is named by its short title, not its code")
            .And.NotContain("Bộ chỉ tiêu KPI-BCD");
        // Per target and area the standing now and proposed, as the service gives them; the thresholds as written.
        foreach (var row in expected.Rows.Where(r => r.SubjectType == SubjectType.Area))
            page.Should().Contain($"data-area=\"{row.SubjectCode}\" data-now=\"{Standings.Text(row.Now)}\" data-proposed=\"{Standings.Text(row.Proposed)}\"", $"{row.Target} {row.SubjectCode}");
        page.Should().MatchRegex("data-target=\"KPI-MEDIATION\"[\\s\\S]*?threshold-now\">≥\u00a070%</span>[\\s\\S]*?threshold-proposed\">≥\u00a090%</span>");
        foreach (var change in expected.Changes)
            page.Should().Contain($"data-type=\"{change.SubjectType}\" data-now=\"{Standings.Text(change.Now)}\" data-proposed=\"{Standings.Text(change.Proposed)}\"");
        page.Should().Contain("Tỷ lệ hòa giải thành", "targets are named, not coded");

        // A set the import would refuse: every problem listed, in Vietnamese first.
        var bad = await committee.SubmitAsync("/whatif?area=P", "/whatif",
            new Dictionary<string, string>(fields) { ["targets"] = Encoding.UTF8.GetString(Proposal()).Replace("\"NQ02-1\"", "\"NO-SUCH-RULE\"", StringComparison.Ordinal) });
        bad.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        System.Net.WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()).Should().Contain("id=\"whatif-problems\"").And.Contain("NO-SUCH-RULE");
        // Nothing chosen or pasted.
        (await committee.SubmitAsync("/whatif?area=P", "/whatif", new Dictionary<string, string>(fields) { ["targets"] = "" })).StatusCode
            .Should().Be(System.Net.HttpStatusCode.BadRequest);

        // Without the form's token: refused. An auditor: no page; an administrator: the same answer as a committee member.
        using (var tokenless = new HttpRequestMessage(HttpMethod.Post, "/whatif") { Content = new FormUrlEncodedContent(fields) })
            (await committee.SendAsync(tokenless)).StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await auditor.GetAsync("/whatif")).StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        (await admin.SubmitAsync("/whatif", "/whatif", fields)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);

        (await EveryTableAsync(engine.Storage.Database!)).Should().Equal(before, "the page's what-if stored nothing");
        bed.Logs.Lines.Should().Contain(l => l.Contains("What-if by", StringComparison.Ordinal) && l.Contains("from the dashboard", StringComparison.Ordinal));
    }

    /// <summary>A set of P's own with one count target (dialogues, each commune at least <paramref name="minimum"/> in the half-year).</summary>
    internal static byte[] DialogueSet(long minimum) => Encoding.UTF8.GetBytes($$"""
        {
          "code": "P-DLG", "title": "Chỉ tiêu đối thoại của tỉnh", "issued": "2019-01-01", "scope": "P",
          "targets": [ { "code": "P-2", "rule": "NQ02-2", "population": "XA", "operator": ">=", "threshold": "100%", "minimum": {{minimum}},
                         "measuredOver": ["Unit", "District"], "periods": ["S1", "S2"], "textVi": "Mọi xã tổ chức đối thoại với nhân dân" } ]
        }
        """);

    [Fact]
    public async Task The_what_if_page_shows_the_minimum_each_unit_must_reach_now_and_proposed_beside_the_threshold()
    {
        await using var engine = await EvaluatedAsync();
        await engine.ImportTargetsAsync("p-dlg.json", DialogueSet(1), scope: null);
        await engine.ImportAsync(ImportKind.Values, "dialogues.csv", Province.ValuesHeader + "XA1,2020S1,DIALOGUE_CONFERENCES,2,\nXA2,2020S1,DIALOGUE_CONFERENCES,1,\nXA3,2020S1,DIALOGUE_CONFERENCES,3,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var proposal = Encoding.UTF8.GetString(DialogueSet(3));

        var result = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Encoding.UTF8.GetBytes(proposal), "P", "test"));
        result.Minimums.Should().Contain("P-2", ((long?)1, (long?)3));
        await using var bed = await Api.ApiTestbed.StartAsync(engine);
        var (committee, _, _) = await Security.Browser.SignInAsync(bed.Host, await bed.KeyAsync(Role.Committee, "P"));
        var answer = await committee.SubmitAsync("/whatif?area=P", "/whatif", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "P", ["targets"] = proposal });
        var page = System.Net.WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        answer.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, page);

        // Both thresholds are 100% of the communes: what the proposal changes is the least count each must reach, said where the threshold is.
        page.Should().MatchRegex("data-target=\"P-2\"[\\s\\S]*?threshold-now\">≥\u00a0100%</span><span data-col=\"minimum-now\">, mỗi cơ sở ít nhất 1</span>"
            + "[\\s\\S]*?threshold-proposed\">≥\u00a0100%</span><span data-col=\"minimum-proposed\">, mỗi cơ sở ít nhất 3</span>");
        var english = await committee.SubmitAsync("/whatif?area=P&lang=en", "/whatif?lang=en", new Dictionary<string, string> { ["period"] = "2020S1", ["area"] = "P", ["targets"] = proposal });
        System.Net.WebUtility.HtmlDecode(await english.Content.ReadAsStringAsync()).Should().Contain("<span data-col=\"minimum-proposed\">, each unit at least 3</span>");
        // XA2's one dialogue meets 1 and falls short of 3: its figure is the count it held, not a share of 0 of 1.
        result.Rows.Should().ContainSingle(r => r.Target == "P-2" && r.SubjectCode == "XA2").Which.Should().Match<WhatIfRow>(r => r.Now == Standing.Met && r.Proposed == Standing.Short);
        page.Should().MatchRegex("<tr data-unit=\"XA2\">[\\s\\S]*?<td class=\"num\">1</td>\\s*</tr>");
    }

    [Fact]
    public async Task A_what_if_over_two_sets_defining_one_target_code_for_different_districts_judges_each_district_by_its_own_once()
    {
        await using var engine = await EvaluatedAsync();
        static byte[] DistrictSet(string district, string threshold) => Encoding.UTF8.GetBytes($$"""
            {
              "code": "QD-{{district}}", "title": "Chỉ tiêu của {{district}}", "issued": "2019-01-01", "scope": "{{district}}",
              "targets": [ { "code": "DT-REG", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "{{threshold}}",
                             "measuredOver": ["Unit", "District"], "periods": ["S1", "S2"], "textVi": "Đơn vị ban hành quy chế dân chủ" } ]
            }
            """);
        // Both districts define DT-REG, each for its own subtree: D1 (XA1 yes, XA2 no, CQ1 yes: 2 of 3) at 50%, D2 (XA3 yes: 1 of 1) at 80%.
        await engine.ImportTargetsAsync("d1.json", DistrictSet("D1", "50%"), scope: null);
        await engine.ImportTargetsAsync("d2.json", DistrictSet("D2", "80%"), scope: null);
        await engine.ImportAsync(ImportKind.Values, "xa3.csv", Province.ValuesHeader + "XA3,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        // D1's committee proposes 100%.
        var whatIf = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "d1.json", DistrictSet("D1", "100%"), null, "test"));

        var rows = whatIf.Rows.Where(r => r.Target == "DT-REG").Select(r => (r.SubjectType, r.SubjectCode, r.Now, r.Proposed)).ToList();
        rows.Should().BeEquivalentTo(new[]
        {
            (SubjectType.Area, "D1", Standing.Met, Standing.Short),
            (SubjectType.Area, "D2", Standing.Met, Standing.Met),
            (SubjectType.Unit, "XA2", Standing.Short, Standing.Short),
        }, "each district is judged once, by its own set; XA2 falls short of both");
        whatIf.Rows.Single(r => r is { Target: "DT-REG", SubjectCode: "D1" }).ProposedFigures!.Test.Should().Be(">= 100%");
        whatIf.Rows.Single(r => r is { Target: "DT-REG", SubjectCode: "D2" }).ProposedFigures!.Test.Should().Be(">= 80%", "D2's own set is not the proposal's");
        whatIf.Changed.Should().Be(1);

        // The same proposal imported and evaluated for real, on a copy of the database: the one change is D1's.
        var copy = Path.Combine(TestFolders.Root, $"whatif-districts-{Guid.NewGuid():N}.db");
        SqliteConnection.ClearAllPools();
        File.Copy(engine.Storage.Database!, copy);
        await using (var real = Engine.SqliteFile(copy))
        {
            await real.ImportTargetsAsync("d1.json", DistrictSet("D1", "100%"), null);
            await real.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
            await using var db = real.Db();
            var runId = await db.EvaluationRuns.MaxAsync(r => r.Id);
            (await db.Findings.AsNoTracking().Where(f => f.RunId == runId && f.TargetCode == "DT-REG" && (f.State == FindingState.New || f.State == FindingState.Resolved))
                .Select(f => f.SubjectCode).ToListAsync()).Should().Equal("D1");
        }

        File.Delete(copy);
    }

    [Fact]
    public async Task A_what_if_on_PostgreSQL_gives_the_rows_SQLite_gives_and_stores_nothing()
    {
        async Task<(WhatIfResult Result, long[] Before, long[] After)> RunAsync(Engine engine)
        {
            await engine.LoadTargetSetsAsync();
            await engine.ImportAsync(ImportKind.Values, "values.csv", Values);
            await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
            var before = await CountsAsync(engine);
            var result = await engine.Services.GetRequiredService<WhatIfService>().EvaluateAsync(new WhatIfRequest("2020S1", "proposal.json", Proposal(), null, "test"));
            return (result, before, await CountsAsync(engine));
        }

        await using var sqlite = await Engine.SqliteAsync().WithProvinceAsync();
        await using var postgres = await Engine.PostgresAsync("whatif").WithProvinceAsync();
        var (onSqlite, _, _) = await RunAsync(sqlite);
        var (onPostgres, before, after) = await RunAsync(postgres);

        after.Should().Equal(before, "a what-if on PostgreSQL stores no run, finding, area result, outbox message, sign-off, value or chain link either");
        onPostgres.Rows.Should().NotBeEmpty().And.BeEquivalentTo(onSqlite.Rows, o => o.WithStrictOrdering());
        onPostgres.Changes.Should().BeEquivalentTo(onSqlite.Changes);
    }

    /// <summary>The rows of every table a run, an import or a sign-off writes, and the chain head.</summary>
    private static async Task<long[]> CountsAsync(Engine engine)
    {
        await using var db = engine.Db();
        return
        [
            await db.EvaluationRuns.LongCountAsync(), await db.Findings.LongCountAsync(), await db.AreaResults.LongCountAsync(), await db.ScopeStates.LongCountAsync(),
            await db.OutboxMessages.LongCountAsync(), await db.SignOffs.LongCountAsync(), await db.DataValues.LongCountAsync(), await db.Resolutions.LongCountAsync(),
            await db.Targets.LongCountAsync(), await db.FindingActions.LongCountAsync(), await db.AuditChainHeads.Select(h => h.Sequence).SingleAsync(),
        ];
    }

    /// <summary>Rows of every table in the SQLite file, by name.</summary>
    public static async Task<List<KeyValuePair<string, long>>> EveryTableAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }

        var counts = new List<KeyValuePair<string, long>>();
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts.Add(new(table, (long)(await count.ExecuteScalarAsync())!));
        }

        await using (var head = connection.CreateCommand())
        {
            head.CommandText = "SELECT Sequence FROM AuditChainHeads";
            counts.Add(new("chain head", (long)(await head.ExecuteScalarAsync())!));
        }

        return counts;
    }

    /// <summary>
    /// The gap column of the what-if's page and report appendix: an incomplete area whose reported figures already pass
    /// (gap 0: its units not reported must report) read "Cần thêm 0" beside "Chưa đủ số liệu".
    /// </summary>
    [Theory]
    [InlineData(Standing.Incomplete, 0L, null)]
    [InlineData(Standing.Incomplete, 2L, 2L)]
    [InlineData(Standing.Short, 3L, 3L)]
    [InlineData(Standing.Met, 0L, null)]
    public void The_gap_shown_under_a_proposal_is_none_when_met_or_when_only_reports_are_missing(Standing proposed, long gap, long? shown)
    {
        var figures = new WhatIfFigures(7, 10, null, 10, 7, 1, ">= 70%", gap);
        new WhatIfRow("NQ02-3", SubjectType.Area, "D1", "Huyện Một", Standing.Short, proposed, figures, figures).ProposedGapShown.Should().Be(shown);
    }
}

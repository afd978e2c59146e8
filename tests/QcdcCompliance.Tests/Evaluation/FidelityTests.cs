using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Reports;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>
/// Findings a committee can trust, through the database on SQLite and PostgreSQL: a province's set binds that province
/// alone, another adopts it with its own scope, a province's own set reuses shipped rules by name, each unit owes only
/// what the targets in force read of it, and an area with a unit missing is incomplete.
/// </summary>
public sealed class FidelityTests
{
    private const string Period = "2020S1";

    /// <summary>A second province, Q, with an agency that has issued nothing.</summary>
    private const string ProvinceQ = "code,name,level,parent_code,valid_from,valid_to\nQ,Tỉnh Khác,Province,,,\nQC1,Xã Khác,Commune,Q,,\n";

    private static Task<Engine> Create(string provider, string name) =>
        provider == "Postgres" ? Engine.PostgresAsync(name) : Engine.SqliteAsync();

    private static byte[] Shipped(string file) => QcdcRules.TargetSets().Single(t => t.Name == file).Content;

    private static async Task<Engine> TwoProvincesAsync(string provider, string name)
    {
        var engine = await Create(provider, name).WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas-q.csv", ProvinceQ);
        await engine.ImportAsync(ImportKind.Units, "units-q.csv", Province.UnitsHeader + "QCQ,Sở Khác,StateAgency,QC1,true,10,,,\n");
        foreach (var national in new[] { "law-10-2022.json", "party-11-qdi-tw.json", "reporting.json" })
            await engine.ImportTargetsAsync(national, Shipped(national), scope: null);
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "CQ1,2020S1,REGULATION_ISSUED,false,\nQCQ,2020S1,REGULATION_ISSUED,false,\n");
        return engine;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_provincial_resolution_binds_the_province_that_adopted_it_and_no_other(string provider)
    {
        await using var engine = await TwoProvincesAsync(provider, "scope");

        var refused = await FluentActions.Awaiting(() => engine.ImportTargetsAsync("hatinh-02-nq-tu.json", Shipped("hatinh-02-nq-tu.json"), scope: null))
            .Should().ThrowAsync<ImportRejectedException>();
        refused.Which.Problems.Single().ToString().Should().Contain("unknown area HT");
        await engine.ImportTargetsAsync("hatinh-02-nq-tu.json", Shipped("hatinh-02-nq-tu.json"), scope: "P");

        await engine.Evaluations.EvaluateAsync(Period, null, RunTrigger.Manual);
        var findings = await engine.Findings.ListAsync(new FindingFilter(Period) { Target = "NQ02-1" });
        findings.Select(f => f.SubjectCode).Should().Contain("CQ1").And.NotContain("QCQ", "Q has not adopted Hà Tĩnh's resolution");
        JsonNode.Parse(findings.First(f => f.SubjectCode == "CQ1").Evidence)!["scope"]!.GetValue<string>().Should().Be("P");

        await engine.ImportTargetsAsync("hatinh-02-nq-tu.json", Shipped("hatinh-02-nq-tu.json"), scope: "Q");
        await engine.Evaluations.EvaluateAsync(Period, null, RunTrigger.Manual);
        var adopted = await engine.Findings.ListAsync(new FindingFilter(Period) { Target = "NQ02-1", Area = "Q" });
        adopted.Select(f => f.SubjectCode).Should().Contain("QCQ");
        JsonNode.Parse(adopted.First(f => f.SubjectCode == "QCQ").Evidence)!["scope"]!.GetValue<string>().Should().Be("Q");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_copy_for_one_province_of_a_set_stored_for_a_wider_area_is_refused_and_the_wider_set_still_binds_the_others(string provider)
    {
        await using var engine = await TwoProvincesAsync(provider, "narrow");
        // A province's administrator adopting the shipped national regulation "for itself" would unbind it from Q.
        var national = await FluentActions.Awaiting(() => engine.ImportTargetsAsync("party-11-qdi-tw.json", Shipped("party-11-qdi-tw.json"), scope: "P"))
            .Should().ThrowAsync<ImportRejectedException>();
        // A district's copy of its province's set would unbind the rest of the province the same way.
        await engine.ImportTargetsAsync("hatinh-02-nq-tu.json", Shipped("hatinh-02-nq-tu.json"), scope: "P");
        var district = await FluentActions.Awaiting(() => engine.ImportTargetsAsync("hatinh-02-nq-tu.json", Shipped("hatinh-02-nq-tu.json"), scope: "D2"))
            .Should().ThrowAsync<ImportRejectedException>();

        national.Which.Problems.Select(p => p.ToString()).Should().Equal(
            "party-11-qdi-tw.json:scope: set 11-QĐI/TW is stored as national (it binds every area, P among them): a copy for P would remove it from every other area; "
            + "P is bound by it already. For targets of P's own, give your set a code of its own and its targets codes of their own, reusing the rules by name "
            + "(\"rule\": \"QD11-CITIZEN-RECEPTION\"); to change the set itself, import it for national (\"scope\": \"national\")");
        ImportWording.Vietnamese(national.Which.Problems[0]).Should().StartWith(
            "bộ chỉ tiêu 11-QĐI/TW đang áp dụng toàn quốc (mọi địa bàn, kể cả P): bản riêng cho P sẽ gỡ bộ này khỏi mọi địa bàn khác");
        district.Which.Problems.Select(p => p.ToString()).Should().ContainSingle().Which.Should().StartWith(
            "hatinh-02-nq-tu.json:scope: set 02-NQ/TU is stored for P, which contains D2: a copy for D2 would remove it from the rest of P; D2 is bound by it already.");
        ImportWording.Vietnamese(district.Which.Problems[0]).Should().StartWith("bộ chỉ tiêu 02-NQ/TU đang áp dụng cho P, bao gồm D2: bản riêng cho D2 sẽ gỡ bộ này khỏi phần còn lại của P");

        await using (var db = engine.Db())
        {
            (await db.Resolutions.Where(r => r.Code == "11-QĐI/TW").Select(r => r.ScopeAreaCode).ToListAsync()).Should().Equal([null], "the law still binds every area");
            (await db.Resolutions.Where(r => r.Code == "02-NQ/TU").Select(r => r.ScopeAreaCode).ToListAsync()).Should().Equal(["P"]);
        }

        // The set itself is changed where it is stored, and a set stored inside the new scope is replaced by it.
        (await engine.ImportTargetsAsync("party-11-qdi-tw.json", Shipped("party-11-qdi-tw.json"), scope: "national")).Unchanged.Should().Be(1);
        (await engine.ImportTargetsAsync("hatinh-02-nq-tu.json", Shipped("hatinh-02-nq-tu.json"), scope: "national")).Updated.Should().Be(9);
    }

    [Theory]
    [InlineData("Sqlite", true)]
    [InlineData("Sqlite", false)]
    [InlineData("Postgres", true)]
    public async Task A_set_of_a_commune_merged_away_binds_its_successor_only_where_the_set_says_it_follows_successors(string provider, bool follows)
    {
        await using var engine = await Create(provider, "successor").WithProvinceAsync();
        // C2 is merged into C1 on 1/7/2025 (the reform); its agency stays on the books under C2 and rolls up through C1.
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nC2,C1,2025-07-01\n");
        await engine.ImportAsync(ImportKind.Areas, "areas-2.csv", Province.Areas.Replace("C2,Xã Hai,Commune,P,2025-07-01,\n", "", StringComparison.Ordinal));
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2026S1,REGULATION_ISSUED,false,\nXA3,2026S1,REGULATION_ISSUED,false,\n");
        var set = $$"""
            {
              "code": "05-NQ/C2", "title": "Nghị quyết của Đảng ủy xã Hai", "issued": "2021-01-01", "scope": "C2", "followSuccessors": {{(follows ? "true" : "false")}},
              "targets": [ { "code": "C2-1", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%",
                             "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Quy chế dân chủ" } ]
            }
            """;
        await engine.ImportTargetsAsync("c2.json", Encoding.UTF8.GetBytes(set), scope: null);

        await engine.Evaluations.EvaluateAsync("2026S1", null, RunTrigger.Manual);

        var findings = await engine.Findings.ListAsync(new FindingFilter("2026S1") { Target = "C2-1" });
        findings.Select(f => f.SubjectCode).Should().Equal(follows ? ["XA1", "XA2"] : [],
            follows ? "C1 succeeded C2 and the set follows successors: C1's units are bound (XA2 has not reported), C3's are not" : "the set binds C2 alone, which no longer exists");
    }

    /// <summary>
    /// Province R's districts are abolished on 1/7/2025 (lineage R1 → R, R2 → R, as the demo writes them) and their
    /// communes merged into new ones: R1A and R1B into N1; R2A into N2, or into N1 as well where N1 takes part of R2.
    /// </summary>
    [Theory]
    [InlineData("Sqlite", "R1A,N1|R1B,N1|R2A,N2", new[] { "UB-N1" })]
    [InlineData("Sqlite", "R1A,N1|R1B,N1|R2A,N1", new string[0])]
    [InlineData("Sqlite", "R1A,N1|R1B,N2|R2A,N2", new string[0])]
    [InlineData("Postgres", "R1A,N1|R1B,N1|R2A,N2", new[] { "UB-N1" })]
    public async Task A_set_of_a_district_dissolved_into_its_province_follows_the_commune_its_communes_became_and_never_the_province(
        string provider, string mergers, string[] bound)
    {
        await using var engine = await Create(provider, "dissolved");
        await engine.ImportAsync(ImportKind.Areas, "areas.csv",
            """
            code,name,level,parent_code,valid_from,valid_to
            R,Tỉnh R,Province,,,
            R1,Huyện R1,District,R,,2025-06-30
            R2,Huyện R2,District,R,,2025-06-30
            R1A,Xã R1A,Commune,R1,,2025-06-30
            R1B,Xã R1B,Commune,R1,,2025-06-30
            R2A,Xã R2A,Commune,R2,,2025-06-30
            N1,Xã Mới Một,Commune,R,2025-07-01,
            N2,Xã Mới Hai,Commune,R,2025-07-01,

            """);
        await engine.ImportAsync(ImportKind.Lineage, "lineage.csv", "predecessor_code,successor_code,effective_from\nR1,R,2025-07-01\nR2,R,2025-07-01\n"
            + string.Concat(mergers.Split('|').Select(m => m + ",2025-07-01\n")));
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.UnitsHeader
            + "UB-N1,UBND Xã Mới Một,Commune,N1,true,30,,2025-07-01,\nUB-N2,UBND Xã Mới Hai,Commune,N2,true,30,,2025-07-01,\n");
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "UB-N1,2026S1,REGULATION_ISSUED,false,\nUB-N2,2026S1,REGULATION_ISSUED,false,\n");
        const string set = """
            {
              "code": "KPI/R1", "title": "Chỉ tiêu của Ban Chỉ đạo huyện R1", "issued": "2024-12-01", "scope": "R1", "followSuccessors": true,
              "targets": [ { "code": "R1-1", "rule": "NQ02-1", "population": "XA,CQ", "operator": ">=", "threshold": "100%",
                             "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Quy chế dân chủ (huyện R1)" } ]
            }
            """;
        await engine.ImportTargetsAsync("kpi-r1.json", Encoding.UTF8.GetBytes(set), scope: null);

        await engine.Evaluations.EvaluateAsync("2026S1", null, RunTrigger.Manual);

        var findings = await engine.Findings.ListAsync(new FindingFilter("2026S1") { Target = "R1-1" });
        findings.Select(f => f.SubjectCode).Should().Equal(bound,
            "R1's set follows the one commune made of R1's communes alone; never its province R, which took R1's place in the lineage but holds R2's units too");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_set_for_an_unknown_area_or_without_a_scope_is_refused_and_nothing_is_stored(string provider)
    {
        await using var engine = await Create(provider, "noscope").WithProvinceAsync();
        var before = await engine.CountsAsync();

        var unknown = await FluentActions.Awaiting(() => engine.ImportTargetsAsync("kpi.json", Shipped("committee-kpis.json"), scope: "ZZ"))
            .Should().ThrowAsync<ImportRejectedException>();
        var json = Encoding.UTF8.GetString(Shipped("law-10-2022.json")).Replace("\"scope\": \"national\",", "", StringComparison.Ordinal);
        var silent = await FluentActions.Awaiting(() => engine.ImportTargetsAsync("law.json", Encoding.UTF8.GetBytes(json), scope: null))
            .Should().ThrowAsync<ImportRejectedException>();

        unknown.Which.Problems.Select(p => p.ToString()).Should().Equal(
            "kpi.json:scope: unknown area ZZ; import the areas first, or give the code of an area that exists (--scope)");
        silent.Which.Problems.Select(p => p.ToString()).Should().Equal(
            "law.json:scope: scope is missing; write the code of the area the set binds (its subtree is bound too), or \"national\" for a law that binds every area");
        (await engine.CountsAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_provinces_own_set_reusing_shipped_rules_by_name_gives_the_findings_worked_out_by_hand(string provider)
    {
        await using var engine = await Create(provider, "reuse").WithProvinceAsync();
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader +
            "DN3,Công ty Ba,NonStateEnterprise,C3,true,30,,,\nDN4,Công ty Bốn,NonStateEnterprise,C3,true,30,,,\nDN5,Công ty Năm,NonStateEnterprise,C3,true,30,,,\n");
        // 2 of the 4 enterprises with a union signed: 50%, which meets "at least 50%" and not "more than 50%".
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader +
            "DN1,2020,CLA_SIGNED,true,\nDN3,2020,CLA_SIGNED,true,\nDN4,2020,CLA_SIGNED,false,\nDN5,2020,CLA_SIGNED,false,\n" +
            "XA1,2020S2,DISCLOSURE_POSTED,true,\nXA2,2020S2,DISCLOSURE_POSTED,false,\n");
        var set = """
            {
              "code": "01-NQ/P", "title": "Nghị quyết của Tỉnh Thử", "issued": "2020-01-01", "scope": "P",
              "targets": [
                { "code": "P-6", "rule": "NQ02-6b", "population": "DN-CĐ", "operator": ">", "threshold": "50%", "measuredOver": ["Province"],
                  "periods": ["Year"], "textVi": "Trên 50% doanh nghiệp có công đoàn ký thỏa ước" },
                { "code": "P-6-HALF", "rule": "nq02-6b", "population": "DN-CĐ", "operator": ">=", "threshold": "50%", "measuredOver": ["Province"],
                  "periods": ["Year"], "textVi": "Ít nhất 50% doanh nghiệp có công đoàn ký thỏa ước" },
                { "code": "P-XA-4", "rule": "YES-NO", "indicators": ["DISCLOSURE_POSTED"], "population": "XA", "operator": ">=", "threshold": "100%",
                  "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Xã niêm yết công khai" }
              ]
            }
            """;
        await engine.ImportTargetsAsync("p.json", Encoding.UTF8.GetBytes(set), scope: null);

        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual);

        var year = await engine.Findings.ListAsync(new FindingFilter("2020"));
        year.Where(f => f.TargetCode.StartsWith("P-6", StringComparison.Ordinal)).Select(f => (f.TargetCode, f.SubjectCode, f.Measurement.Numerator, f.Measurement.Denominator))
            .Should().Equal([("P-6", "P", 2L, 4L)], "2 of 4 is not more than 50%, and is at least 50%");
        year.Where(f => f.TargetCode == "P-XA-4").Should().Contain(f => f.SubjectCode == "P")
            .And.OnlyContain(f => f.SubjectType == SubjectType.Area, "the year restates the S2 target over areas; XA2 was flagged in 2020S2");
        var half = await engine.Findings.ListAsync(new FindingFilter("2020S2") { Target = "P-XA-4" });
        half.Select(f => (f.SubjectCode, f.Measurement.Outcome)).Should().Equal(("XA2", FindingOutcome.Short), ("XA3", FindingOutcome.Missing));
        JsonNode.Parse(half[0].Evidence)!["rule"]!.GetValue<string>().Should().Be("YES-NO");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_set_naming_a_rule_with_other_indicators_or_a_shape_with_the_wrong_kinds_is_refused(string provider)
    {
        await using var engine = await Create(provider, "wrongreads").WithProvinceAsync();
        var before = await engine.CountsAsync();
        var set = """
            {
              "code": "02-NQ/P", "title": "Sai", "issued": "2020-01-01", "scope": "P",
              "targets": [
                { "code": "P-A", "rule": "NQ02-6b", "indicators": ["REGULATION_ISSUED"], "population": "DN-CĐ", "operator": ">", "threshold": "70%",
                  "measuredOver": ["Province"], "periods": ["S1", "S2"], "textVi": "Sai chỉ tiêu" },
                { "code": "P-B", "rule": "RATIO", "indicators": ["REGULATION_ISSUED", "PEOPLE_TO_INFORM"], "population": "CQ", "operator": ">=",
                  "threshold": "100%", "measuredOver": ["Unit"], "periods": ["S1", "S2"], "textVi": "Sai dạng" },
                { "code": "P-C", "rule": "NQ02-7a", "population": "DNNN-CĐ", "operator": ">=", "threshold": "100%", "measuredOver": ["Unit"],
                  "periods": ["Year"], "textVi": "Trùng hiệu lực",
                  "settings": [ { "to": "2021-06-30", "minimum": 4 }, { "from": "2021-01-01", "minimum": 1 } ] }
              ]
            }
            """;

        var refusal = await FluentActions.Awaiting(() => engine.ImportTargetsAsync("p.json", Encoding.UTF8.GetBytes(set), scope: null))
            .Should().ThrowAsync<ImportRejectedException>();

        refusal.Which.Problems.Select(p => p.ToString()).Should().BeEquivalentTo(
            "p.json:1:indicators: rule NQ02-6b reads CLA_SIGNED; list exactly those indicators, in that order (or leave indicators out)",
            "p.json:2:indicators: rule RATIO reads a count indicator then a count indicator; give exactly that in indicators",
            "p.json:3:settings: two settings are in force on 2021-01-01; give each a \"from\" after the previous one's \"to\"");
        (await engine.CountsAsync()).Should().Be(before);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_district_with_a_unit_not_reported_has_an_incomplete_finding_not_a_met_figure(string provider)
    {
        await using var engine = await Create(provider, "incomplete").WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        var units = new StringBuilder(Province.UnitsHeader);
        var values = new StringBuilder(Province.ValuesHeader);
        for (var i = 1; i <= 10; i++)
        {
            units.Append(System.Globalization.CultureInfo.InvariantCulture, $"CQI{i},Cơ quan {i},StateAgency,C3,true,10,,,\n");
            if (i < 10)
                values.Append(System.Globalization.CultureInfo.InvariantCulture, $"CQI{i},2020S2,PEOPLE_INFORMED,10,\nCQI{i},2020S2,PEOPLE_TO_INFORM,10,\n");
        }

        await engine.ImportAsync(ImportKind.Units, "d2.csv", units.ToString());
        await engine.ImportAsync(ImportKind.Values, "d2-values.csv", values.ToString());

        var run = (await engine.Evaluations.EvaluateAsync("2020S2", null, RunTrigger.Manual)).Single();

        run.Areas.Single(a => a.TargetCode == "NQ02-3" && a.AreaCode == "D2").Status.Should().Be(AreaStatus.Incomplete,
            "the nine agencies that reported informed everyone, but the tenth has not reported: the district is not met");
        var finding = (await engine.Findings.ListAsync(new FindingFilter("2020S2") { Target = "NQ02-3", Area = "D2" })).Single(f => f.SubjectCode == "D2");
        finding.Measurement.Outcome.Should().Be(FindingOutcome.Incomplete);
        var evidence = JsonNode.Parse(finding.Evidence)!;
        evidence["unitsNotReported"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain("CQI10");
        ((long)evidence["numerator"]!, (long)evidence["denominator"]!).Should().Be((90, 90), "the figure so far, over the units that reported");
        var csv = FindingCsv.Write(await engine.Findings.ListAsync(new FindingFilter("2020S2") { Target = "NQ02-3", Area = "D2" }));
        csv.Split('\n')[0].Should().Contain(",outcome");
        csv.Should().Contain(",Area,D2,").And.MatchRegex(",incomplete,[0-9]*,");

        // Shown as incomplete, never as short nor as "not applicable", wherever people read it.
        FindingExplanation.Render(finding, null, vietnamese: true).Should().Contain("chưa đủ số liệu: 9/11 đơn vị đã báo cáo")
            .And.Contain("Các đơn vị chưa báo cáo (2): CQI10, XA3", "the district's commune has not reported either");
        FindingExplanation.Render(finding, null, vietnamese: false).Should().Contain("incomplete: 9 of 11 units reported");
        QcdcCompliance.Alerts.FindingText.Measured(QcdcCompliance.Alerts.AlertFinding.From(new Finding
        {
            TargetCode = finding.TargetCode, SubjectType = finding.SubjectType, SubjectId = 1, SubjectCode = finding.SubjectCode,
            Severity = finding.Severity, Measurement = finding.Measurement, Evidence = finding.Evidence,
        }, "D2")).Should().StartWith("chưa đủ số liệu: 9/11 đơn vị đã báo cáo, 2 đơn vị chưa báo cáo");
        new QcdcCompliance.Reports.ReportWording(QcdcCompliance.Reports.ReportLanguage.Vi).Status(AreaStatus.Incomplete).Should().Be("Chưa đủ số liệu");
    }
}

/// <summary>The same through the <c>qcdc</c> program, as the README documents it for a province of one's own.</summary>
public sealed class FidelityCliTests
{
    [Fact]
    public async Task A_province_adopts_a_shipped_set_with_the_cli_and_its_findings_csv_says_what_is_short_missing_and_incomplete()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var folder = TestFolders.NewFolder("cli");
        var targets = Path.Combine(folder, "hatinh-02-nq-tu.json");
        await File.WriteAllBytesAsync(targets, QcdcRules.TargetSets().Single(t => t.Name == "hatinh-02-nq-tu.json").Content);
        var values = Path.Combine(folder, "values.csv");
        await File.WriteAllTextAsync(values, Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\nXA2,2020S1,REGULATION_ISSUED,false,\nCQ1,2020S1,REGULATION_ISSUED,true,\n");

        (await HostProcess.RunAsync(engine.Storage, "import", "targets", targets, "--scope", "P")).Should().Contain("9 new");
        await HostProcess.RunAsync(engine.Storage, "import", "values", values, "--no-evaluate");
        var summary = await HostProcess.RunAsync(engine.Storage, "evaluate", "--period", "2020S1");
        // The province's row of NQ02-1: of the units short, all but XA2 (which reported "false") have not reported.
        var header = summary.Split('\n').First(l => l.StartsWith("target", StringComparison.Ordinal));
        header.Should().Contain("short").And.Contain("not reported");
        var nq = summary.Split('\n').First(l => l.StartsWith("NQ02-1 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (population, met, shortUnits, notReported) = (int.Parse(nq[1]), int.Parse(nq[2]), int.Parse(nq[3]), int.Parse(nq[4]));
        shortUnits.Should().Be(population - met);
        notReported.Should().Be(shortUnits - 1, "XA2 reported and is short; every other unit short has not reported");
        var csv = await HostProcess.RunAsync(engine.Storage, "findings", "--period", "2020S1", "--target", "NQ02-1", "--format", "csv");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var outcome = Array.IndexOf(lines[0].Split(','), "outcome");
        var rows = lines.Skip(1).Select(r => r.Split(',')).ToDictionary(r => r[3], r => r[outcome]);
        rows["XA2"].Should().Be("short");
        rows["DN1"].Should().Be("missing");
        rows["D1"].Should().Be("short", "XA2 is short in D1, whoever else is missing");
        rows["D2"].Should().Be("incomplete", "XA3 of D2 has not reported and no unit of D2 is short");
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Demo;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Findings;
using QcdcCompliance.Reports;
using QcdcCompliance.Storage;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Demo;

/// <summary>What the demo shows: the seed reports' figures from those who hold them, and the 2025 reform in the tree.</summary>
[Collection(DemoProvinceCollection.Name)]
public sealed class HaTinhDemoTests(DemoProvince demo, ITestOutputHelper output)
{
    private static readonly DateOnly Reform = new(2025, 7, 1);

    private static readonly string[] HeldByOrganisations =
        ["PROPAGANDA_SESSIONS", "PROPAGANDA_ATTENDEES", "MODELS_REGISTERED", "MODELS_RECOGNISED", "MODELS_EXEMPLARY"];

    [Fact]
    public async Task The_seed_figures_come_from_the_fronts_and_the_Ban_Dan_van_and_from_no_other_unit()
    {
        await using var db = demo.Engine.Db();
        var sums = await (from v in db.DataValues
                          join u in db.Units on v.UnitId equals u.Id
                          join p in db.Periods on v.PeriodId equals p.Id
                          join i in db.Indicators on v.IndicatorId equals i.Id
                          group v by new { Period = p.Code, Indicator = i.Code, u.Kind } into g
                          select new { g.Key.Period, g.Key.Indicator, g.Key.Kind, Total = g.Sum(x => x.Value) }).ToListAsync();

        Dictionary<UnitKind, long> By(string period, string indicator) =>
            sums.Where(s => s.Period == period && s.Indicator == indicator).ToDictionary(s => s.Kind, s => s.Total);

        // Seed 004 (Bến Tre, 6 tháng đầu năm 2020): "39.284 cuộc với 1.327.453 lượt người tham dự", by MTTQ and the organisations.
        By("2020S1", "PROPAGANDA_SESSIONS").Should().Equal(new Dictionary<UnitKind, long> { [UnitKind.FrontAndMassOrganisations] = 39_284 });
        By("2020S1", "PROPAGANDA_ATTENDEES").Should().Equal(new Dictionary<UnitKind, long> { [UnitKind.FrontAndMassOrganisations] = 1_327_453 });
        // Seed 001 (Bắc Kạn, năm 2018): 1,200 models registered, 303 recognised, 82 exemplary; the demo's first year stands for it.
        By("2019", "MODELS_REGISTERED").Should().Equal(new Dictionary<UnitKind, long> { [UnitKind.MassMobilisationBoard] = 1_200 });
        By("2019", "MODELS_RECOGNISED").Should().Equal(new Dictionary<UnitKind, long> { [UnitKind.MassMobilisationBoard] = 303 });
        By("2019", "MODELS_EXEMPLARY").Should().Equal(new Dictionary<UnitKind, long> { [UnitKind.MassMobilisationBoard] = 82 });
        foreach (var (indicator, total) in new (string, long)[]
                 {
                     ("INSPECTION_SUPERVISIONS", 98), ("INVESTMENT_SUPERVISIONS", 136), ("MEDIATION_TEAMS", 545), ("MEDIATORS", 4_001),
                     ("MEDIATION_CASES", 325), ("MEDIATION_SUCCESSES", 240),
                 })
        {
            By("2020S1", indicator).Values.Sum().Should().Be(total, indicator);
        }

        sums.Where(s => HeldByOrganisations.Contains(s.Indicator))
            .Should().OnlyContain(s => s.Kind == UnitKind.FrontAndMassOrganisations || s.Kind == UnitKind.MassMobilisationBoard,
                "no village, enterprise or office reports the front's or the Ban Dân vận's figures, in any period");

        // A stock of models is consistent within each board and year: exemplary among the recognised among the registered.
        var modelIds = HeldByOrganisations.Where(c => c.StartsWith("MODELS_", StringComparison.Ordinal)).Select(c => IndicatorCatalogue.Get(c).Id).ToList();
        var models = await (from v in db.DataValues
                            join i in db.Indicators on v.IndicatorId equals i.Id
                            where modelIds.Contains(v.IndicatorId)
                            select new { v.UnitId, v.PeriodId, i.Code, v.Value }).ToListAsync();
        models.Should().NotBeEmpty();
        foreach (var board in models.GroupBy(m => (m.UnitId, m.PeriodId)))
        {
            var of = board.ToDictionary(m => m.Code, m => m.Value);
            of["MODELS_EXEMPLARY"].Should().BeLessThanOrEqualTo(of["MODELS_RECOGNISED"]);
            of["MODELS_RECOGNISED"].Should().BeLessThanOrEqualTo(of["MODELS_REGISTERED"]);
        }
    }

    [Fact]
    public async Task The_review_report_restates_the_seed_figures()
    {
        var queries = ActivatorUtilities.CreateInstance<ReviewReportQueries>(demo.Engine.Services, ActivatorUtilities.CreateInstance<OverviewQueries>(demo.Engine.Services));
        var reports = ActivatorUtilities.CreateInstance<ReviewReports>(demo.Engine.Services, queries, new ReviewReportOptions());

        async Task<string> TextAsync(string period) => System.Net.WebUtility.HtmlDecode(
            System.Text.Encoding.UTF8.GetString((await reports.WriteAsync(period, HaTinhDemo.ProvinceCode, ReportFormat.Html, ReportLanguage.Vi)).Content));
        var half = await TextAsync("2020S1");
        var year = await TextAsync("2019");

        half.Should().Contain("tuyên truyền được 39.284 cuộc với 1.327.453 lượt người tham dự");
        year.Should().Contain("có 1.200 mô hình").And.Contain("303 mô hình được công nhận, trong đó có 82 mô hình điển hình");
    }

    [Theory]
    [InlineData("2020S1", new[] { "REGULATION_ISSUED", "PEOPLE_INFORMED", "PEOPLE_TO_INFORM" })]
    [InlineData("2020", new string[0])]
    [InlineData(DemoProvince.After2025, new[] { "REGULATION_ISSUED", "PEOPLE_INFORMED", "PEOPLE_TO_INFORM" })]
    public async Task A_village_or_a_non_union_enterprise_that_reported_what_the_targets_read_has_no_REPORTED_finding(string period, string[] enterpriseOwes)
    {
        // What the targets in force read of them (INDICATORS.md): NQ02-1 and NQ02-3 of a non-state enterprise without a
        // union on a half-year, nothing on a year before Law 10; nothing at all of a village on these periods.
        await using var db = demo.Engine.Db();
        var when = await db.Periods.SingleAsync(p => p.Code == period);
        var units = await db.Units.AsNoTracking()
            .Where(u => u.Kind == UnitKind.Village || (u.Kind == UnitKind.NonStateEnterprise && !u.HasTradeUnion))
            .ToListAsync();
        units = units.Where(u => u.ActiveAt(when)).ToList();
        var reported = (await (from v in db.DataValues
                               join i in db.Indicators on v.IndicatorId equals i.Id
                               where v.PeriodId == when.Id
                               select new { v.UnitId, i.Code }).ToListAsync())
            .ToLookup(v => v.UnitId, v => v.Code);
        var complete = units.Where(u => (u.Kind == UnitKind.Village ? Array.Empty<string>() : enterpriseOwes).All(reported[u.Id].Contains)).ToList();
        var findings = await demo.Engine.Findings.ListAsync(new FindingFilter(period) { Target = ReportingTarget.Code });

        complete.Should().Contain(u => u.Kind == UnitKind.Village).And.Contain(u => u.Kind == UnitKind.NonStateEnterprise);
        findings.Select(f => f.SubjectCode).Should().NotIntersectWith(complete.Select(u => u.Code));
        units.Should().OnlyContain(u => !reported[u.Id].Any(HeldByOrganisations.Contains), "the demo gives them none of the front's figures");
        foreach (var finding in findings)
        {
            var missing = JsonDocument.Parse(finding.Evidence).RootElement.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
            if (!finding.SubjectCode.StartsWith("MT-", StringComparison.Ordinal) && !finding.SubjectCode.StartsWith("DV-", StringComparison.Ordinal))
                missing.Should().NotIntersectWith(HeldByOrganisations, $"{finding.SubjectCode} owes none of them");
        }

        output.WriteLine($"{period}: {complete.Count} of {units.Count} villages and non-union enterprises complete; {findings.Count} REPORTED findings: "
                         + string.Join(", ", findings.Select(f => f.SubjectCode)));
        if (period.Contains('S', StringComparison.Ordinal))
        {
            findings.Should().Contain(f => f.SubjectCode.StartsWith("DN-", StringComparison.Ordinal), "an enterprise that left something out is still reported");
            findings.Should().Contain(f => f.SubjectCode.StartsWith("MT-", StringComparison.Ordinal), "a front that did not report its propaganda is");
        }
    }

    [Fact]
    public async Task The_2025_reform_merges_about_three_communes_into_one_through_the_lineage()
    {
        await using var db = demo.Engine.Db();
        var tree = await db.LoadAreaTreeAsync();
        var lineage = await db.AreaLineages.AsNoTracking().ToListAsync();
        var communes = tree.Areas.Where(a => a.Level == AreaLevel.Commune).ToList();
        var old = communes.Where(a => a.ValidTo == Reform.AddDays(-1)).ToList();
        var merged = communes.Where(a => a.ValidFrom == Reform).ToList();

        old.Should().HaveCount(HaTinhDemo.Profile.Communes);
        merged.Should().HaveCount(69, "Hà Tĩnh has 69 communes and wards since 1/7/2025");
        communes.Should().HaveCount(old.Count + merged.Count);
        var successor = old.ToDictionary(a => a.Code, a => lineage.Where(l => l.PredecessorId == a.Id).Should().ContainSingle().Which);
        successor.Values.Should().OnlyContain(l => l.EffectiveFrom == Reform && merged.Select(m => m.Id).Contains(l.SuccessorId));
        foreach (var group in old.GroupBy(a => successor[a.Code].SuccessorId))
        {
            group.Count().Should().BeInRange(2, 4, "about three communes into one");
            group.Select(a => tree.ParentOn(a.Id, Reform.AddDays(-1))!.Code).Distinct().Should().ContainSingle("a merger stays within its district");
        }

        var first = old.OrderBy(a => a.Code, StringComparer.Ordinal).First();
        var next = tree[successor[first.Code].SuccessorId];
        tree.PathOn(first.Id, new DateOnly(2020, 6, 30)).Select(a => a.Code).Should().Equal(first.Code, tree.ParentOn(first.Id, new DateOnly(2020, 6, 30))!.Code, "HT");
        tree.PathOn(first.Id, new DateOnly(2026, 6, 30)).Select(a => a.Code).Should().Equal(next.Code, "HT");

        // The old communes' own units close with them and the new communes have theirs; the rest follow the lineage.
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Code);
        foreach (var prefix in new[] { "UB-", "MT-" })
        {
            units[prefix + first.Code].ActiveTo.Should().Be(Reform.AddDays(-1));
            units[prefix + next.Code].ActiveFrom.Should().Be(Reform);
        }

        units.Values.Where(u => u.Kind == UnitKind.MassMobilisationBoard && u.Code != "DV-HT").Should().OnlyContain(u => u.ActiveTo == Reform.AddDays(-1));
        units["DV-HT"].ActiveTo.Should().BeNull();
        units.Values.Where(u => u.AreaId == first.Id && u.Kind == UnitKind.Village).Should().NotBeEmpty().And.OnlyContain(u => u.ActiveTo == null);
    }

    [Fact]
    public async Task After_the_reform_every_unit_rolls_up_from_its_commune_to_the_province_never_through_a_district()
    {
        var (_, _, totals, children) = await demo.Engine.Services.GetRequiredService<ComplianceQueries>().ForAreaAsync(DemoProvince.After2025, HaTinhDemo.ProvinceCode);
        var findings = await demo.Engine.Findings.ListAsync(new FindingFilter(DemoProvince.After2025));
        await using var db = demo.Engine.Db();
        var tree = await db.LoadAreaTreeAsync();
        var period = await db.Periods.SingleAsync(p => p.Code == DemoProvince.After2025);
        var districts = tree.Areas.Where(a => a.Level == AreaLevel.District).Select(a => a.Code).ToHashSet();

        children.Where(c => c.AreaLevel == AreaLevel.District).Should().BeEmpty();
        findings.Where(f => f.SubjectType == SubjectType.Area && f.SubjectCode != HaTinhDemo.ProvinceCode).Should().BeEmpty("no area is measured below the province any more");
        var paths = findings.Where(f => f.SubjectType == SubjectType.Unit)
            .Select(f => (f.SubjectCode, Path: JsonDocument.Parse(f.Evidence).RootElement.GetProperty("unit").GetProperty("path").EnumerateArray().Select(p => p.GetString()!).ToList()))
            .ToList();
        paths.Should().NotBeEmpty();
        paths.Should().OnlyContain(p => p.Path.Last() == HaTinhDemo.ProvinceCode && !p.Path.Any(districts.Contains), "districts are gone");
        paths.Should().Contain(p => p.Path.Count == 2 && p.SubjectCode.StartsWith("DN-", StringComparison.Ordinal),
            "an enterprise of a merged commune is counted in the new commune");

        // Every active unit of NQ02-1's population is in the province's figure: none was lost with its old commune.
        var population = Population.Parse("XA,CQ,SN,DNNN,DN,LL");
        var active = await db.Units.AsNoTracking().ToListAsync();
        totals.Single(t => t.TargetCode == "NQ02-1").PopulationUnits
            .Should().Be(active.Count(u => u.ActiveAt(period) && population.Includes(u.Kind, u.HasTradeUnion)));
        active.Where(u => u.Kind == UnitKind.Commune && u.ActiveAt(period)).Should().HaveCount(69);
    }
}

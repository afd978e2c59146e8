using System.Text.Json.Nodes;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Evaluation;

/// <summary>The gap to target: the fewest units or counts that must change for an area to meet its threshold as written.</summary>
public sealed class GapTests(ITestOutputHelper output)
{
    [Fact]
    public void A_province_sized_gap_writes_both_counts_as_the_report_does()
    {
        // The outside province's NQ02-1 in 2020S1: 116,093 units short, 101,515 of them not reported.
        var (set, target) = Rules.RuleSession.ShippedTarget("NQ02-1", PeriodCalendar.Default.Create("2020S1"));
        var fact = QcdcCompliance.Evaluation.TargetFacts.From(set, target, Rules.RuleSession.Catalogue, null)!;
        GapText.Vietnamese(fact, 116_093, 101_515).Should().EndWith("cần thêm 116.093 đơn vị ban hành đầy đủ quy chế thực hiện dân chủ ở cơ sở (101.515 đơn vị chưa báo cáo được tính là chưa đạt cho đến khi gửi đủ số liệu)");
        GapText.English(fact, 116_093, 101_515).Should().EndWith(" (the 101,515 units not reported count as not complying until they report)").And.StartWith("116,093 more units");
        GapText.Vietnamese(fact, 0, 1_234).Should().Be("đạt ngưỡng khi 1.234 đơn vị chưa báo cáo gửi đủ số liệu");
    }

    [Fact]
    public void A_province_sized_area_finding_is_explained_with_its_counts_written_as_the_report_does()
    {
        var evidence = """
            {"target":"NQ02-1","resolution":"02-NQ/TU","rule":"NQ02-1","ruleSetVersion":"v","period":"2020S1","area":{"code":"HX","name":"Tỉnh Hà Xuyên","level":"Province"},
             "status":"Short","populationUnits":190366,"reportedUnits":88851,"metUnits":74273,"missingUnits":101515,"numerator":74273,"denominator":88851,
             "share":"0.8359","shortUnits":["A","B"],"unitsNotReported":["B"],"legalBasis":[]}
            """;
        var finding = new FindingView(1, "2020S1", "NQ02-1", SubjectType.Area, 1, "HX", "Tỉnh Hà Xuyên", FindingState.New, Severity.High,
            new Measurement(FindingOutcome.Short, 74_273, 88_851, null, ComparisonOperator.AtLeast, 1_000_000, null, 116_093), 1, 1, 1, evidence);

        FindingExplanation.Render(finding, null, vietnamese: true).Should().Contain("(74.273/88.851); 74.273/190.366 cơ sở đạt, 101.515 cơ sở chưa báo cáo");
        FindingExplanation.Render(finding, null, vietnamese: false).Should().Contain("74,273/88,851 = 83.6% (74,273 of 190,366 units met, 101,515 not reported)");

        // A dashboard page names the first codes of an area's lists and counts the rest; explain names them all.
        FindingExplanation.Render(finding, null, vietnamese: true, listed: 1).Should().Contain("Các đơn vị chưa đạt (2): A và 1 đơn vị khác\n");
        FindingExplanation.Render(finding, null, vietnamese: false, listed: 1).Should().Contain("Units short (2): A and 1 more\n");
        FindingExplanation.Render(finding, null, vietnamese: true).Should().Contain("Các đơn vị chưa đạt (2): A, B\n");
    }

    [Fact]
    public void An_area_share_is_explained_as_a_percentage_in_the_readers_language_never_as_the_evidence_fraction()
    {
        // HT's NQ02-1 in 2020S2: 10 units not reported, the 3.416 that did all met: 1.0000 in the evidence, which a
        // Vietnamese reader would read as one thousand.
        var evidence = """
            {"target":"NQ02-1","resolution":"02-NQ/TU","rule":"NQ02-1","ruleSetVersion":"v","period":"2020S2","area":{"code":"HT","name":"Tỉnh Hà Tĩnh","level":"Province"},
             "status":"Incomplete","populationUnits":3426,"reportedUnits":3416,"metUnits":3416,"missingUnits":10,"numerator":3416,"denominator":3416,
             "share":"1.0000","shortUnits":[],"unitsNotReported":["A"],"legalBasis":[]}
            """;
        var incomplete = new FindingView(1, "2020S2", "NQ02-1", SubjectType.Area, 1, "HT", "Tỉnh Hà Tĩnh", FindingState.New, Severity.High,
            new Measurement(FindingOutcome.Incomplete, 3_416, 3_416, null, ComparisonOperator.AtLeast, 1_000_000, null, 10), 1, 1, 1, evidence);

        FindingExplanation.Render(incomplete, null, vietnamese: true).Should().Contain("đến nay 3.416/3.416 = 100,0%\n").And.NotContain("1.0000");
        FindingExplanation.Render(incomplete, null, vietnamese: false).Should().Contain("so far 3,416/3,416 = 100.0%\n").And.NotContain("1.0000");

        // 2.440/3.160 = 77,22%: one decimal, as the report writes it.
        var short_ = incomplete with
        {
            Evidence = evidence.Replace("\"numerator\":3416", "\"numerator\":2440").Replace("\"denominator\":3416", "\"denominator\":3160").Replace("1.0000", "0.7722"),
        };
        FindingExplanation.Render(short_, null, vietnamese: true).Should().Contain("= 77,2%").And.NotContain("0.7722");
        FindingExplanation.Render(short_, null, vietnamese: false).Should().Contain("= 77.2%").And.NotContain("0.7722");
    }

    [Theory]
    [InlineData(">", 700_000, 7, 10, 1L)] // the issue's example: 8 of 10 is more than 70%
    [InlineData(">=", 700_000, 7, 10, 0L)]
    [InlineData(">=", 700_000, 6, 10, 1L)]
    [InlineData(">", 700_000, 70, 100, 1L)] // exactly at a strict threshold: never 0
    [InlineData(">", 700_000, 71, 100, 0L)]
    [InlineData(">", 700_000, 7_000, 10_000, 1L)]
    [InlineData(">=", 700_000, 69, 100, 1L)]
    [InlineData(">=", 1_000_000, 0, 10, 10L)]
    [InlineData(">=", 1_000_000, 9, 10, 1L)]
    [InlineData(">=", 850_000, 0, 7, 6L)] // 5.95 rounds up to 6 of 7
    [InlineData(">", 1_000_000, 10, 10, null)] // more than 100% cannot be met
    [InlineData(">=", 700_000, 0, 0, null)] // nothing to measure
    [InlineData("<=", 100_000, 3, 10, 2L)] // at most 10%: 1 of 10
    [InlineData("<", 100_000, 1, 10, 1L)] // less than 10%: 0 of 10
    [InlineData("<", 0, 0, 10, null)]
    [InlineData(">=", 850_000, 5, 3, 0L)] // a ratio's numerator may pass its denominator (complaints carried over): met
    [InlineData("<=", 500_000, 5, 3, 4L)] // at most 50% of 3: 1
    public void The_gap_is_exact_at_and_around_the_threshold(string op, long millionths, long numerator, long denominator, long? gap)
    {
        Threshold.TryParseOperator(op, out var parsed).Should().BeTrue();
        TargetGap.ToMeet(new Threshold(parsed, millionths), numerator, denominator).Should().Be(gap);
    }

    [Fact]
    public void The_gap_is_the_least_change_that_meets_the_threshold_for_every_operator_and_small_figure()
    {
        foreach (var op in Enum.GetValues<ComparisonOperator>())
        {
            foreach (var millionths in new long[] { 0, 1, 333_333, 500_000, 700_000, 850_000, 999_999, 1_000_000 })
            {
                var threshold = new Threshold(op, millionths);
                for (var d = 1; d <= 40; d++)
                {
                    for (var n = 0; n <= d; n++)
                    {
                        var up = TargetGap.RaisesNumerator(op);
                        var reachable = Enumerable.Range(0, (up ? d - n : n) + 1).Where(k => threshold.IsMetBy(up ? n + k : n - k, d)).ToList();
                        TargetGap.ToMeet(threshold, n, d).Should().Be(reachable.Count == 0 ? null : reachable[0],
                            $"{n} of {d} against {threshold}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Shares_and_ratios_carry_their_gap_and_candidates_in_the_stored_finding_the_CSV_of_the_CLI_and_explain()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // Ten non-state enterprises with a union in D1 (DN1 and nine more), seven of which signed: "trên 70%" needs eight.
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader + string.Concat(
            Enumerable.Range(1, 9).Select(i => $"DNX{i},Công ty X{i},NonStateEnterprise,C{1 + (i % 2)},true,10,,,\n")));
        var values = Province.ValuesHeader + "DN1,2020,CLA_SIGNED,true,\n" + string.Concat(
            Enumerable.Range(1, 9).Select(i => $"DNX{i},2020,CLA_SIGNED,{(i <= 6 ? "true" : "false")},\n"))
            // A ratio: D1 settled 5 of 10 and 6 of 10 cases (11 of 20), "≥ 70%" needs 14: 3 more cases.
            + "XA1,2020S1,MEDIATION_CASES,10,\nXA1,2020S1,MEDIATION_SUCCESSES,5,\nXA2,2020S1,MEDIATION_CASES,10,\nXA2,2020S1,MEDIATION_SUCCESSES,6,\n"
            + "XA3,2020S1,MEDIATION_CASES,4,\nXA3,2020S1,MEDIATION_SUCCESSES,4,\n";
        await engine.ImportAsync(ImportKind.Values, "values.csv", values);
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var share = (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-6b" })).Single(f => f.SubjectCode == "D1");
        share.Measurement.Should().Match<Measurement>(m => m.Numerator == 7 && m.Denominator == 10 && m.Gap == 1);
        var gap = JsonNode.Parse(share.Evidence)!["gap"]!;
        gap["vi"]!.GetValue<string>().Should().Be("cần thêm 1 doanh nghiệp ký thỏa ước lao động tập thể");
        gap["en"]!.GetValue<string>().Should().Be("1 more enterprise must comply: collective labour agreement in force");
        gap["candidates"]!.AsArray().Select(c => c!["unit"]!.GetValue<string>()).Should().Equal("DNX7", "DNX8", "DNX9");

        var ratio = (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-MEDIATION" })).Single(f => f.SubjectCode == "D1");
        ratio.Measurement.Should().Match<Measurement>(m => m.Numerator == 11 && m.Denominator == 20 && m.Gap == 3);
        var ratioGap = JsonNode.Parse(ratio.Evidence)!["gap"]!;
        ratioGap["vi"]!.GetValue<string>().Should().Be("cần thêm 3 vụ việc hòa giải thành");
        ratioGap["candidates"]!.AsArray().Select(c => $"{c!["unit"]}:{c["effect"]}").Should().Equal("XA1:5", "XA2:4");

        // The province: 15 of 24 cases, "≥ 70%" needs 17 (16.8 rounded up).
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-MEDIATION" })).Single(f => f.SubjectCode == "P")
            .Measurement.Gap.Should().Be(2);

        var csv = await HostProcess.RunAsync(engine.Storage, "findings", "--period", "2020", "--target", "NQ02-6b", "--format", "csv");
        output.WriteLine(csv);
        var lines = csv.Split('\n');
        var header = lines[0].Split(',');
        header.Should().Contain("gap");
        var d1 = lines.Single(l => l.Contains(",Area,D1,", StringComparison.Ordinal)).Split(',');
        d1[Array.IndexOf(header, "gap")].Should().Be("1");
        d1[Array.IndexOf(header, "numerator")].Should().Be("7");

        var explain = await HostProcess.RunAsync(engine.Storage, "explain", "--period", "2020", "--target", "NQ02-6b", "--subject", "D1");
        output.WriteLine(explain);
        explain.Should().Contain("Khoảng cách tới chỉ tiêu: cần thêm 1 doanh nghiệp ký thỏa ước lao động tập thể")
            .And.Contain("Gap to target: 1 more enterprise must comply")
            .And.Contain("DNX7, DNX8, DNX9");
        explain.IndexOf("cần thêm", StringComparison.Ordinal).Should().BeLessThan(explain.IndexOf("1 more", StringComparison.Ordinal), "Vietnamese comes first");
    }

    [Fact]
    public async Task A_ratio_whose_reported_counts_meet_the_threshold_asks_its_units_not_reported_to_report_without_promising_it_is_met()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader + "XB1,UBND Xã B1,Commune,C1,true,10,,,\n");
        // D1: XA1 settled 5 of 10 (short), XB1 10 of 10: 15 of 20 = 75% against "≥ 70%", while XA2 has not reported.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader
            + "XA1,2020S1,MEDIATION_CASES,10,\nXA1,2020S1,MEDIATION_SUCCESSES,5,\nXB1,2020S1,MEDIATION_CASES,10,\nXB1,2020S1,MEDIATION_SUCCESSES,10,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var d1 = (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-MEDIATION" })).Single(f => f.SubjectCode == "D1");
        d1.Measurement.Should().Match<Measurement>(m => m.Outcome == FindingOutcome.Incomplete && m.Numerator == 15 && m.Denominator == 20 && m.Gap == 0);
        var gap = JsonNode.Parse(d1.Evidence)!["gap"]!;
        gap["vi"]!.GetValue<string>().Should().Be(
            "số liệu đã báo cáo đạt ngưỡng; 1 đơn vị chưa báo cáo phải gửi đủ số liệu để đánh giá (số liệu của các đơn vị này có thể làm chỉ tiêu chưa đạt)");
        gap["en"]!.GetValue<string>().Should().Be(
            "the figures reported so far meet the threshold; the 1 unit not reported must report before it can be judged (their figures could still leave it short)");
        // XA1's 5 more cases would change nothing: the district waits for XA2 alone.
        gap["candidates"]!.AsArray().Select(c => c!["unit"]!.GetValue<string>()).Should().Equal("XA2");
        var explain = FindingExplanation.Render(d1, null, vietnamese: true);
        explain.Should().Contain("Khoảng cách tới chỉ tiêu: số liệu đã báo cáo đạt ngưỡng; 1 đơn vị chưa báo cáo phải gửi đủ số liệu để đánh giá")
            .And.Contain("Đơn vị cần thực hiện (tác động lớn trước): XA2\n").And.NotContain("khi 1 đơn vị chưa báo cáo gửi đủ số liệu");
        FindingExplanation.Render(d1, null, vietnamese: false).Should().NotContain("met once");

        // XA2 then reports 0 of 10 settled: 15 of 30, short by 6. "Met once it reports" would have been false.
        await engine.ImportAsync(ImportKind.Values, "late.csv", Province.ValuesHeader + "XA2,2020S1,MEDIATION_CASES,10,\nXA2,2020S1,MEDIATION_SUCCESSES,0,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-MEDIATION" })).Single(f => f.SubjectCode == "D1" && f.State != FindingState.Resolved)
            .Measurement.Should().Match<Measurement>(m => m.Outcome == FindingOutcome.Short && m.Numerator == 15 && m.Denominator == 30 && m.Gap == 6);
    }

    [Fact]
    public async Task A_ratio_with_no_case_reported_and_units_not_reported_is_not_told_it_can_never_be_met()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // D1: XA1 had no mediation case (0 of 0), XA2 has not reported: nothing to divide by yet.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "XA1,2020S1,MEDIATION_CASES,0,\nXA1,2020S1,MEDIATION_SUCCESSES,0,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);

        var d1 = (await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-MEDIATION" })).Single(f => f.SubjectCode == "D1");
        d1.Measurement.Outcome.Should().Be(FindingOutcome.Incomplete);
        var gap = JsonNode.Parse(d1.Evidence)!["gap"]!;
        gap["vi"]!.GetValue<string>().Should().Be(
            "chưa có số liệu để tính tỷ lệ; 1 đơn vị chưa báo cáo phải gửi đủ số liệu để đánh giá (số liệu của các đơn vị này có thể làm chỉ tiêu chưa đạt)");
        gap["en"]!.GetValue<string>().Should().StartWith("nothing reported yet to compute the ratio from; the 1 unit not reported must report").And.NotContain("cannot be met");
        gap["candidates"]!.AsArray().Select(c => c!["unit"]!.GetValue<string>()).Should().Equal("XA2");
    }

    [Fact]
    public async Task A_share_met_whatever_its_units_not_reported_answer_is_met_once_they_report_and_waits_for_them_alone()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader + string.Concat(
            Enumerable.Range(1, 9).Select(i => $"DNX{i},Công ty X{i},NonStateEnterprise,C1,true,10,,,\n")));
        // Eight of ten signed, DNX8 did not, DNX9 has not reported: 8 of 10 is "trên 70%" even if DNX9 answers no.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "DN1,2020,CLA_SIGNED,true,\n" + string.Concat(
            Enumerable.Range(1, 8).Select(i => $"DNX{i},2020,CLA_SIGNED,{(i <= 7 ? "true" : "false")},\n")));
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var d1 = (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-6b" })).Single(f => f.SubjectCode == "D1");
        d1.Measurement.Should().Match<Measurement>(m => m.Outcome == FindingOutcome.Incomplete && m.Gap == 0);
        var gap = JsonNode.Parse(d1.Evidence)!["gap"]!;
        gap["vi"]!.GetValue<string>().Should().Be("đạt ngưỡng khi 1 đơn vị chưa báo cáo gửi đủ số liệu");
        gap["en"]!.GetValue<string>().Should().Be("met once the 1 unit(s) not reported report");
        // DNX8 signing would change nothing: the district waits for DNX9 alone.
        gap["candidates"]!.AsArray().Select(c => c!["unit"]!.GetValue<string>()).Should().Equal("DNX9");
    }

    [Fact]
    public async Task An_incomplete_share_counts_its_units_not_reported_as_units_that_may_still_comply()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Units, "more.csv", Province.UnitsHeader + string.Concat(
            Enumerable.Range(1, 9).Select(i => $"DNX{i},Công ty X{i},NonStateEnterprise,C1,true,10,,,\n")));
        // Six of ten signed, two did not, two have not reported: "trên 70%" needs eight of ten, so both missing must sign.
        await engine.ImportAsync(ImportKind.Values, "values.csv", Province.ValuesHeader + "DN1,2020,CLA_SIGNED,true,\n" + string.Concat(
            Enumerable.Range(1, 7).Select(i => $"DNX{i},2020,CLA_SIGNED,{(i <= 5 ? "true" : "false")},\n")));
        await engine.Evaluations.EvaluateAsync("2020", null, RunTrigger.Manual);

        var d1 = (await engine.Findings.ListAsync(new FindingFilter("2020") { Target = "NQ02-6b" })).Single(f => f.SubjectCode == "D1");
        d1.Measurement.Outcome.Should().Be(FindingOutcome.Incomplete);
        d1.Measurement.Gap.Should().Be(2);
        var gap = JsonNode.Parse(d1.Evidence)!["gap"]!;
        gap["over"]!.GetValue<string>().Should().Be("population");
        gap["vi"]!.GetValue<string>().Should().Be("cần thêm 2 doanh nghiệp ký thỏa ước lao động tập thể (2 đơn vị chưa báo cáo được tính là chưa đạt cho đến khi gửi đủ số liệu)");
        gap["candidates"]!.AsArray().Select(c => c!["unit"]!.GetValue<string>()).Should().Equal("DNX6", "DNX7", "DNX8", "DNX9");
    }
}

using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using static QcdcCompliance.Tests.Reports.ReportReading;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// A share shown beside its threshold never reads on the other side of it: a committee must not read "70,0% ≥ 70% —
/// chưa đạt" for 2.333/3.333 (69,997%) beside a district's 7/10 "70,0% — đạt".
/// </summary>
public sealed class ShareBesideThresholdTests
{
    private static readonly Threshold AtLeast70 = new(ComparisonOperator.AtLeast, 700_000);
    private static readonly Threshold Above85 = new(ComparisonOperator.MoreThan, 850_000);

    [Fact]
    public void A_share_short_of_its_threshold_never_reads_as_meeting_it_nor_one_that_meets_it_as_short()
    {
        var f = DisplayFormat.Vietnamese;
        f.Percent(2333, 3333, AtLeast70).Should().Be("69,9%", "69,997% is short of ≥ 70%: it reads as the step below, never 70,0%");
        f.Percent(7, 10, AtLeast70).Should().Be("70,0%", "exactly 70% meets ≥ 70% and reads so");
        f.Percent(8501, 10_000, Above85).Should().Be("85,1%", "85,01% meets > 85%: it reads as the step above, never 85,0%");
        f.Percent(17, 20, Above85).Should().Be("85,0%", "exactly 85% is not > 85%, and 85,0% > 85% is false too");
        // The threshold is a side of its own: 84,996% is short of "> 85%" by more than 85% is, and reads below it.
        f.Percent(84_996, 100_000, Above85).Should().Be("84,9%", "84,996% is below 85%: 85,0% would read as exactly the threshold");
        f.Percent(6996, 10_000, new Threshold(ComparisonOperator.MoreThan, 700_000)).Should().Be("69,9%");
        f.Percent(35, 50, new Threshold(ComparisonOperator.MoreThan, 700_000)).Should().Be("70,0%", "exactly 70% reads so, short of > 70%");
        f.Percent(70_004, 100_000, AtLeast70).Should().Be("70,1%", "70,004% is above 70%: 70,0% would read as exactly the threshold");
        f.Percent(2333, 3333).Should().Be("70,0%", "a share beside no threshold keeps plain rounding");
        f.Ratio(2340, 3343, "vụ việc", AtLeast70).Should().Be("69,9% (2.340/3.343 vụ việc)");
        DisplayFormat.English.Percent(2333, 3333, AtLeast70).Should().Be("69.9%");

        // The same rule at every number of digits, and for the machines' four-place fraction.
        Shares.Percent(2333, 3333, AtLeast70, 2).Should().Be("69.99", "the CLI's table shows two decimals");
        Shares.Percent(2333, 3333, AtLeast70, 0).Should().Be("69");
        Shares.Format(2333, 3333, AtLeast70).Should().Be("0.6999", "the CSV's and the API's share");
        Shares.Format(2333, 3333).Should().Be("0.7000");
        Shares.Format(8501, 10_000, Above85).Should().Be("0.8501");
        Shares.Format(850_001, 1_000_000, Above85).Should().Be("0.8501", "85,0001% meets > 85%: 0.8500 would read as not");

        // A cap reads the same way round: 15,01% is over "≤ 15%".
        DisplayFormat.Vietnamese.Percent(1501, 10_000, new Threshold(ComparisonOperator.AtMost, 150_000)).Should().Be("15,1%");
        // Where no step at one decimal lies between the threshold and 100%, the figure gains a decimal instead.
        DisplayFormat.Vietnamese.Percent(9997, 10_000, new Threshold(ComparisonOperator.MoreThan, 999_500)).Should().Be("99,97%",
            "99,97% meets > 99,95%, yet 100,0% would read a share short of 100% as whole and 99,9% as short");
    }

    [Fact]
    public void Every_share_of_small_counts_reads_on_the_side_of_each_threshold_that_its_exact_value_does()
    {
        long[] thresholds = [1, 500_000, 666_667, 700_000, 850_000, 950_000, 999_000, 999_500, 1_000_000];
        var wrong = new List<string>();
        foreach (var op in Enum.GetValues<ComparisonOperator>())
        foreach (var millionths in thresholds)
        {
            var threshold = new Threshold(op, millionths);
            for (var denominator = 1L; denominator <= 120; denominator++)
            for (var numerator = 0L; numerator <= denominator; numerator++)
            for (var decimals = 0; decimals <= 2; decimals++)
            {
                var shown = Shares.RoundPercent(numerator, denominator, decimals, threshold);
                var step = decimals == 0 ? 1m : decimals == 1 ? 0.1m : 0.01m;
                // Below, at or above the threshold as the exact share is: a figure reads as the threshold only when the share is it.
                var side = Math.Sign((numerator * 1_000_000m).CompareTo(millionths * denominator));
                if (Meets(shown, threshold) != threshold.IsMetBy(numerator, denominator) || Math.Sign((shown * 10_000m).CompareTo(millionths)) != side
                    || Math.Abs(shown - numerator * 100m / denominator) >= step
                    || (numerator < denominator && shown >= 100m) || (numerator > 0 && shown <= 0m))
                    wrong.Add($"{numerator}/{denominator} shown as {shown}% beside {threshold}");
            }
        }

        wrong.Should().BeEmpty("a figure stands where its exact share does, within a step of it");

        // The shown percentage against the threshold, exactly: p% against millionths is p × 10.000 against millionths.
        static bool Meets(decimal percent, Threshold t) => t.Operator switch
        {
            ComparisonOperator.AtLeast => percent * 10_000m >= t.Millionths,
            ComparisonOperator.MoreThan => percent * 10_000m > t.Millionths,
            ComparisonOperator.AtMost => percent * 10_000m <= t.Millionths,
            _ => percent * 10_000m < t.Millionths,
        };
    }

    /// <summary>
    /// KPI-MEDIATION ("≥ 70%" over districts) just short and exactly at: D1 (XA1, XA2) settles 2.333 of 3.333 (69,997%),
    /// D2 (XA3) 7 of 10 (70%).
    /// </summary>
    internal const string JustShortOfSeventy = Province.ValuesHeader +
        """
        XA1,2020S1,MEDIATION_CASES,3333,
        XA1,2020S1,MEDIATION_SUCCESSES,2333,
        XA2,2020S1,MEDIATION_CASES,0,
        XA2,2020S1,MEDIATION_SUCCESSES,0,
        XA3,2020S1,MEDIATION_CASES,10,
        XA3,2020S1,MEDIATION_SUCCESSES,7,

        """;

    [Fact]
    public async Task The_report_and_the_findings_show_2333_of_3333_as_short_of_70_percent_and_the_spreadsheet_holds_the_exact_share()
    {
        await using var engine = await Engine.SqliteAsync(configure: s => s.AddQcdcReports()).WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        // KPI-MEDIATION is "≥ 70%" over districts: D1 (XA1, XA2) settles 2.333 of 3.333, D2 (XA3) 7 of 10.
        await engine.ImportAsync(ImportKind.Values, "values.csv", JustShortOfSeventy);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        var reports = engine.Services.GetRequiredService<ReviewReports>();

        var docx = await reports.WriteAsync("2020S1", "P", ReportFormat.Docx, ReportLanguage.Vi);
        using (var doc = WordprocessingDocument.Open(new MemoryStream(docx.Content), false))
        {
            var appendix = Tables(doc)["appendix:KPI-MEDIATION"].Select(r => (Area: r[0], Share: r[7], Status: r[8])).ToList();
            appendix.Should().Equal(("Huyện Một", "69,9%", "Chưa đạt"), ("Huyện Hai", "70,0%", "Đạt"), ("Toàn tỉnh Thử", "69,9%", "Chưa đạt"));
            Text(doc).Should().Contain("tỷ lệ 69,9% (2.340/3.343 vụ việc) (yêu cầu ≥\u00a070%").And.NotContain("70,0% (2.340/3.343");
        }

        var xlsx = await reports.WriteAsync("2020S1", "P", ReportFormat.Xlsx, ReportLanguage.Vi);
        var byArea = MiniExcel.Query(new MemoryStream(xlsx.Content), useHeaderRow: true, sheetName: "Theo địa bàn").Cast<IDictionary<string, object?>>()
            .Skip(1).Where(r => (string)r["Mã chỉ tiêu"]! == "KPI-MEDIATION").ToDictionary(r => (string)r["Mã địa bàn"]!);
        foreach (var (area, met) in new[] { ("D1", false), ("D2", true), ("P", false) })
        {
            var (share, threshold) = (Convert.ToDouble(byArea[area]["Tỷ lệ"]), Convert.ToDouble(byArea[area]["Ngưỡng"]));
            (share >= threshold).Should().Be(met, $"a spreadsheet's filter \"share ≥ threshold\" agrees with {area}'s status ({byArea[area]["Đánh giá"]})");
        }

        Convert.ToDecimal(byArea["D1"]["Tỷ lệ"]).Should().BeApproximately(2333m / 3333m, 0.000_000_000_1m, "the cell holds the exact share, not the rounded 0,7");

        var findings = await engine.Findings.ListAsync(new FindingFilter("2020S1") { Target = "KPI-MEDIATION" });
        var district = findings.Single(f => f.SubjectCode == "D1");
        FindingCsv.Measured(district).Should().Be("0.6999", "the CSV's share beside its threshold 0.7 and \"short\"");
        FindingExplanation.Render(district, "Tỷ lệ hòa giải thành đạt từ 70% trở lên", vietnamese: true).Should().Contain("tỷ lệ 69,9% (2.333/3.333)");
    }
}

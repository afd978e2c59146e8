using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Dashboard;
using QcdcCompliance.Reports;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Reports;

/// <summary>
/// The percent axis as drawn: on a 390 px phone the trend chart's long period names left about 150 px for six tick
/// labels, which ran together as "0%20%40%60%80%100%" (probe 48).
/// </summary>
public sealed partial class ChartAxisTests(ITestOutputHelper output)
{
    private static readonly ChartSpec Trend = new("Bí thư cấp ủy cấp xã tiếp dân: tỷ lệ đạt qua các kỳ, Huyện Nghi Xuân", "Tỷ lệ đạt (%)",
        new[] { "6 tháng đầu năm 2019", "6 tháng cuối năm 2019", "Năm 2019", "6 tháng đầu năm 2020", "6 tháng cuối năm 2020", "Năm 2020" }
            .Select((p, i) => new ChartBar(p, 98.7 + (i * 0.1), AreaStatus.Short, $"{98.7 + (i * 0.1):0.0}%".Replace('.', ','))).ToList(),
        100, "≥ 100%");

    [Fact]
    public void On_a_phone_the_axis_labels_of_a_chart_with_long_bar_labels_stand_apart()
    {
        var ticks = Ticks(ChartRenderer.Svg(Trend, DashboardPages.NarrowChartWidth));

        ticks.Select(t => t.Text).Should().Equal("0%", "50%", "100%");
        Gaps(ticks).Should().OnlyContain(gap => gap >= 8, "each label stands clear of the next, not '0%20%40%'");
    }

    [Fact]
    public void On_a_wide_screen_the_axis_keeps_a_tick_every_20_percent()
    {
        var ticks = Ticks(ChartRenderer.Svg(Trend));

        ticks.Select(t => t.Text).Should().Equal("0%", "20%", "40%", "60%", "80%", "100%");
        Gaps(ticks).Should().OnlyContain(gap => gap >= 8);
    }

    /// <summary>
    /// The labels of the percent axis as the SVG draws them, left to right, from where ScottPlot places each glyph (the
    /// text's translation plus one x a glyph); the last glyph ("%") is taken as 11 px wide, as DejaVu Sans draws it at 12 px.
    /// </summary>
    private List<(string Text, double Start, double End)> Ticks(string svg)
    {
        static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        var texts = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text")
            .Select(e =>
            {
                var at = Translate().Match(e.Attribute("transform")?.Value ?? "");
                var glyphs = (e.Attribute("x")?.Value ?? "0").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Number).ToList();
                var x = at.Success ? Number(at.Groups[1].Value) : 0;
                return (Text: e.Value.Trim(), Start: x + glyphs[0], End: x + glyphs[^1] + 11);
            })
            .ToList();
        output.WriteLine(string.Join(" | ", texts.Select(t => $"{t.Text} {t.Start:0}-{t.End:0}")));
        return texts.Where(t => TickLabel().IsMatch(t.Text)).OrderBy(t => t.Start).ToList();
    }

    /// <summary>The space between each label's end and the next one's start, in pixels of the chart.</summary>
    private static IEnumerable<double> Gaps(List<(string Text, double Start, double End)> ticks) => ticks.Zip(ticks.Skip(1), (a, b) => b.Start - a.End);

    [GeneratedRegex(@"^\d+%$")]
    private static partial Regex TickLabel();

    [GeneratedRegex(@"translate\(([-\d.]+)")]
    private static partial Regex Translate();
}

using QcdcCompliance.Reports;

namespace QcdcCompliance.Tests.Reports;

/// <summary>A bar's figure is never crossed by its threshold mark: read in the rendered report, "90,4%" had the 85% mark through it.</summary>
public sealed class ChartLabelTests
{
    [Theory]
    [InlineData(90.4, 85.0)]
    [InlineData(99.7, 100.0)]
    [InlineData(77.0, 85.0)]
    [InlineData(77.0, 70.0)]
    [InlineData(0.0, 70.0)]
    [InlineData(100.0, 100.0)]
    public void The_figure_and_the_threshold_mark_never_overlap(double value, double mark)
    {
        const int characters = 5; // "90,4%"
        var (x, inside) = ChartRenderer.LabelPlace(value, mark, characters);
        var width = characters * 1.8;
        var (from, to) = inside ? (x - width, x) : (x, x + width);

        (mark < from || mark > to).Should().BeTrue($"the figure spans {from:0.0}-{to:0.0} and the mark stands at {mark}");
        if (inside)
            x.Should().BeLessThanOrEqualTo(value, "a figure written inside its bar stays within it");
    }

    [Fact]
    public void A_figure_clear_of_its_mark_stays_at_the_end_of_its_bar()
    {
        ChartRenderer.LabelPlace(90.4, 50, 5).Should().Be((89.4, true));
        ChartRenderer.LabelPlace(40, 85, 5).Should().Be((41, false));
        ChartRenderer.LabelPlace(90.4, 85, 5).Should().Be((84, true), "moved to the mark's left, still inside the bar");
    }
}

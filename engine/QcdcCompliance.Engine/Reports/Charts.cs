using System.Text.RegularExpressions;
using QcdcCompliance.Domain;
using ScottPlot;

namespace QcdcCompliance.Reports;

/// <summary>
/// One bar: a label, the percentage it shows, its status (the colour), the text written at its end, and its own
/// threshold when the bars of one chart have different ones (a mark across the bar).
/// </summary>
public sealed record ChartBar(string Label, double Percent, AreaStatus Status, string ValueText, double? ThresholdPercent = null);

/// <summary>A horizontal bar chart of shares against a threshold: the only chart the dashboard and the reports draw.</summary>
public sealed record ChartSpec(string Title, string AxisLabel, IReadOnlyList<ChartBar> Bars, double? ThresholdPercent, string? ThresholdText)
{
    /// <summary>What a screen reader says instead of the picture.</summary>
    public string Description => Title + ": " + string.Join("; ", Bars.Select(b => $"{b.Label} {b.ValueText}"));
}

/// <summary>A chart of the report: drawn by ScottPlot, as PNG in the DOCX and as SVG in the HTML page.</summary>
public sealed record ChartBlock(string Id, string Caption, ChartSpec Spec) : FigureBlock(Id, Caption)
{
    public override string Svg() => ChartRenderer.Svg(Spec);
}

/// <summary>
/// Draws <see cref="ChartSpec"/>s with ScottPlot, as PNG for DOCX and as SVG for pages. ScottPlot draws no text at all
/// when it has no font, and says nothing: a font with Vietnamese letters is registered first (DejaVu Sans from
/// Debian's fonts-dejavu-core, or the file in <c>QCDC_CHART_FONT</c>), and without one drawing fails with a message.
/// </summary>
public static partial class ChartRenderer
{
    public const string FontName = "DejaVu Sans";

    private static readonly Lock Gate = new();
    private static bool _fontsReady;

    private static readonly string[] FontFolders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/local/share/fonts",
        "/Library/Fonts",
        @"C:\Windows\Fonts",
    ];

    public static readonly Color MetColor = Color.FromHex("#2E7D32");
    public static readonly Color ShortColor = Color.FromHex("#C62828");
    public static readonly Color IncompleteColor = Color.FromHex("#8A5300");
    public static readonly Color NotApplicableColor = Color.FromHex("#9E9E9E");

    public static byte[] Png(ChartSpec spec, int width = 1600, int height = 0)
    {
        lock (Gate)
        {
            height = height > 0 ? height : HeightFor(spec, 2);
            var plot = Build(spec, scale: 2, AxisFor(spec, 2, width, height));
            return plot.GetImage(width, height).GetImageBytes(ImageFormat.Png);
        }
    }

    /// <summary>The chart as an SVG element that scales to its container (a viewBox, no fixed size), labelled for screen readers.</summary>
    public static string Svg(ChartSpec spec, int width = 720)
    {
        string svg;
        var height = HeightFor(spec, 1);
        lock (Gate)
            svg = Build(spec, scale: 1, AxisFor(spec, 1, width, height)).GetSvgXml(width, height);
        svg = XmlDeclaration().Replace(svg, "");
        var open = SvgOpen().Match(svg);
        if (!open.Success)
            throw new InvalidOperationException("ScottPlot wrote an SVG without an <svg> element");
        var label = System.Net.WebUtility.HtmlEncode(spec.Description);
        return string.Concat(
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{label}\" preserveAspectRatio=\"xMinYMin meet\" class=\"chart\">",
            $"<title>{System.Net.WebUtility.HtmlEncode(spec.Title)}</title>",
            svg[(open.Index + open.Length)..]);
    }

    /// <summary>
    /// Where a bar's value is written, in axis percent: the right end of the text inside the bar past 80%, else its left
    /// end just after the bar; never across the bar's threshold mark (a 90,4% bar with its mark at 85% would have the mark
    /// through its figure), so the text moves to the mark's far side. The text's width is estimated at 1.8 points of the
    /// axis a character (12 px DejaVu Sans over the plot's 450-550 px), more on a narrower plot (<see cref="ChartAxis"/>).
    /// </summary>
    public static (double X, bool Inside) LabelPlace(double value, double? mark, int characters, double pointsPerCharacter = ChartAxis.WidePointsPerCharacter)
    {
        const double gap = 1;
        var width = characters * pointsPerCharacter;
        var inside = value > 80;
        var (from, to) = inside ? (value - gap - width, value - gap) : (value + gap, value + gap + width);
        if (mark is not { } m || m < from - gap || m > to + gap)
            return (inside ? value - gap : value + gap, inside);
        // Inside: left of the mark when the bar has room there, else after the bar. Outside: after the mark.
        if (inside)
            return m - gap - width >= 0 ? (m - gap, true) : (value + gap, false);
        return (m + gap, false);
    }

    private static int HeightFor(ChartSpec spec, int scale) => (90 + (Math.Max(spec.Bars.Count, 1) * 26)) * scale;

    /// <summary>
    /// The axis for the width the plot is left once the bars' labels have taken theirs: the chart is laid out once with
    /// the wide axis to measure it (the percent axis's labels take no width from it).
    /// </summary>
    private static ChartAxis AxisFor(ChartSpec spec, int scale, int width, int height)
    {
        var probe = Build(spec, scale, ChartAxis.Wide);
        probe.GetSvgXml(width, height);
        return ChartAxis.For(probe.RenderManager.LastRender.DataRect.Width, scale);
    }

    private static Plot Build(ChartSpec spec, int scale, ChartAxis axis)
    {
        EnsureFonts();
        var plot = new Plot();
        plot.ScaleFactor = scale;
        var count = spec.Bars.Count;
        var bars = spec.Bars.Select((b, i) => new Bar
        {
            // First bar at the top.
            Position = count - 1 - i,
            Value = Math.Clamp(b.Percent, 0, 100),
            FillColor = ColorOf(b.Status),
            LineWidth = 0,
            Size = 0.7,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        // The value at the end of each bar (inside it, in white, past 80%: the axis stops at 100%), moved off its threshold mark.
        foreach (var (b, i) in spec.Bars.Select((b, i) => (b, i)))
        {
            var (x, inside) = LabelPlace(Math.Clamp(b.Percent, 0, 100), b.ThresholdPercent, b.ValueText.Length, axis.PointsPerCharacter);
            var label = plot.Add.Text(b.ValueText, x, count - 1 - i);
            label.LabelFontName = FontName;
            label.LabelFontSize = 12;
            label.LabelBold = inside;
            label.LabelFontColor = inside ? Colors.White : Colors.Black;
            label.LabelAlignment = inside ? Alignment.MiddleRight : Alignment.MiddleLeft;
        }

        // A bar's own threshold: a dark mark across it.
        foreach (var (b, i) in spec.Bars.Select((b, i) => (b, i)))
        {
            if (b.ThresholdPercent is not { } mark)
                continue;
            var y = count - 1 - i;
            var line = plot.Add.Line(mark, y - 0.45, mark, y + 0.45);
            line.LineWidth = 3;
            line.LineColor = Color.FromHex("#212121");
            line.MarkerSize = 0;
        }

        if (spec.ThresholdPercent is { } threshold)
        {
            var line = plot.Add.VerticalLine(threshold);
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
            line.Color = Color.FromHex("#37474F");
            if (spec.ThresholdText is { } text)
            {
                line.LabelText = text;
                line.LabelFontName = FontName;
                line.LabelFontSize = 12;
                line.LabelOppositeAxis = true;
                // The label sits above the plot: room for it there, or it is cut at the picture's top edge.
                plot.Axes.Top.MinimumSize = 26 * scale;
            }
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, count).Select(i => (double)(count - 1 - i)).ToArray(),
            spec.Bars.Select(b => b.Label).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickLabelStyle.FontName = FontName;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Axes.Bottom.TickLabelStyle.FontName = FontName;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        var ticks = axis.Ticks;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ticks.Select(t => $"{t:0}%").ToArray());
        plot.Axes.SetLimitsX(0, 100);
        // Room on the right for the threshold's label when the threshold is 100%, and for the last tick's "100%".
        plot.Axes.Right.MinimumSize = 40 * scale;
        plot.Axes.SetLimitsY(-0.6, count - 0.4);
        // No title inside the picture: the caption under it (DOCX, HTML) or the heading above it (dashboard) names it,
        // and a long title would be cut at the picture's edge.
        plot.XLabel(spec.AxisLabel, 12);
        plot.Axes.Bottom.Label.FontName = FontName;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }

    private static Color ColorOf(AreaStatus status) => status switch
    {
        AreaStatus.Met => MetColor,
        AreaStatus.Short => ShortColor,
        AreaStatus.Incomplete => IncompleteColor,
        _ => NotApplicableColor,
    };

    private static void EnsureFonts()
    {
        if (_fontsReady)
            return;
        var regular = Environment.GetEnvironmentVariable("QCDC_CHART_FONT") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : FontFolders.Select(f => Path.Combine(f, "DejaVuSans.ttf")).FirstOrDefault(File.Exists);
        if (regular is null)
        {
            throw new InvalidOperationException(
                "charts need a font with Vietnamese letters and none was found: install Debian's fonts-dejavu-core "
                + "(apt-get install fonts-dejavu-core) or set QCDC_CHART_FONT to a .ttf file such as DejaVuSans.ttf");
        }

        Fonts.AddFontFile(FontName, regular);
        var bold = Path.Combine(Path.GetDirectoryName(regular)!, "DejaVuSans-Bold.ttf");
        if (File.Exists(bold))
            Fonts.AddFontFile(FontName, bold, bold: true);
        Fonts.Default = FontName;
        _fontsReady = true;
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"<svg\b[^>]*>")]
    private static partial Regex SvgOpen();
}

/// <summary>
/// The percent axis of a chart for the width its plot has: a tick every 20% where the six labels have room, fewer on
/// a phone, where long bar labels ("6 tháng cuối năm 2019", "Phường Cẩm Bình") leave about 150 px and "0%20%40%60%80%100%"
/// ran together; and how wide a bar's figure is in points of the axis, to keep it clear of its threshold mark.
/// </summary>
public sealed record ChartAxis(double Step, double PointsPerCharacter)
{
    /// <summary>A 12 px character over the 450-550 px of a wide chart's plot, in points of the 0-100 axis (rounded up).</summary>
    public const double WidePointsPerCharacter = 1.8;

    /// <summary>What a tick's label needs at 12 px DejaVu Sans: "100%" is about 34 px, and a gap of 10 px to the next.</summary>
    public const double PixelsPerTick = 44;

    /// <summary>A 12 px DejaVu Sans character, at most (digits are 7.6 px, "%" 10.8 px; the figures are mostly digits).</summary>
    private const double PixelsPerCharacter = 8;

    public static readonly ChartAxis Wide = new(20, WidePointsPerCharacter);

    /// <summary>The ticks, 0 to 100%.</summary>
    public double[] Ticks => Enumerable.Range(0, (int)(100 / Step) + 1).Select(i => i * Step).ToArray();

    /// <param name="plotWidth">The width of the plot (the bars' area), in pixels of the picture drawn at <paramref name="scale"/>.</param>
    public static ChartAxis For(double plotWidth, int scale)
    {
        var width = plotWidth / scale;
        var step = new[] { 20.0, 25.0, 50.0 }.FirstOrDefault(s => width * s / 100 >= PixelsPerTick, 100);
        return new ChartAxis(step, Math.Max(WidePointsPerCharacter, PixelsPerCharacter * 100 / Math.Max(width, 1)));
    }
}

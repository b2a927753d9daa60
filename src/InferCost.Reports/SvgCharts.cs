using System.Globalization;
using System.Net;
using System.Text;
using InferCost.Core.Reporting;

namespace InferCost.Reports;

/// <summary>Inline SVG charts drawn from the report model's chart data: axis labels with units, escaped text,
/// no scripts, no external references.</summary>
public static class SvgCharts
{
    private const int Width = 760;
    private const int LabelWidth = 300;
    private const int RowHeight = 24;
    private const int LineHeight = 13;
    /// <summary>Characters per line that fit: 11px labels in the 294px label column, the legend's 650px, 14px titles
    /// across the chart (measured on wide glyphs, so real text is shorter).</summary>
    private const int LabelChars = 44;
    private const int LegendChars = 100;
    private const int TitleChars = 80;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"];

    public static string Bars(BarChart chart)
    {
        var series = chart.Bars.Select(b => b.Series).Distinct().ToList();
        var max = NiceMax(chart.Bars.Count == 0 ? 1 : chart.Bars.Max(b => b.Value));
        var plotWidth = Width - LabelWidth - 70;
        var labels = chart.Bars.Select(b => Wrap(b.Label, LabelChars)).ToList();
        var heights = labels.Select(l => Math.Max(RowHeight, l.Count * LineHeight + 8)).ToList();
        var titleLines = Wrap(chart.Title, TitleChars);
        var top = 24 + titleLines.Count * 18;
        var height = top + heights.Sum() + 60;
        var svg = Begin(chart.Title, titleLines, height);
        var y = top;
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var h = heights[i];
            var w = Math.Max(1, bar.Value / max * plotWidth);
            var color = Palette[series.IndexOf(bar.Series) % Palette.Length];
            var firstLine = y + h / 2.0 - (labels[i].Count - 1) * LineHeight / 2.0 + 4;
            svg.Append(TextLines(LabelWidth - 6, firstLine, labels[i], bar.MissesTarget ? "label miss" : "label", "end"));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{F(y + h / 2.0 - 9)}\" width=\"{F(w)}\" height=\"18\" fill=\"{color}\"><title>{E(bar.Label)}: {E(Usd(bar.Value))}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(LabelWidth + w + 4)}\" y=\"{F(y + h / 2.0 + 4)}\" class=\"value\">{E(Usd(bar.Value))}</text>");
            y += h;
        }
        XAxis(svg, y, max, plotWidth, chart.Unit, Usd);
        return End(svg);
    }

    public static string Lines(LineChart chart)
    {
        const int left = 80, plotHeight = 190;
        var titleLines = Wrap(chart.Title, TitleChars);
        var top = 24 + titleLines.Count * 18;
        var plotWidth = Width - left - 30;
        var legend = chart.Series.Select(x => Wrap(x.Name, LegendChars)).ToList();
        var points = chart.Series.SelectMany(s => s.Points).ToList();
        var xs = points.Select(p => Math.Log2(Math.Max(1, p.X))).ToList();
        var xMin = xs.Count == 0 ? 0 : xs.Min();
        var xMax = xs.Count == 0 ? 1 : Math.Max(xs.Max(), xMin + 1);
        var yMax = NiceMax(Math.Max(points.Count == 0 ? 1 : points.Max(p => p.Y), chart.ReferenceLine ?? 0));
        double X(double v) => left + (Math.Log2(Math.Max(1, v)) - xMin) / (xMax - xMin) * plotWidth;
        double Y(double v) => top + plotHeight - v / yMax * plotHeight;
        var legendTop = top + plotHeight + 56;
        var svg = Begin(chart.Title, titleLines, legendTop + legend.Sum(l => l.Count * LineHeight + 4) + 8);
        for (var t = 0; t <= 4; t++)
        {
            var v = yMax * t / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" class=\"tick\">{E(v.ToString("#,0", CultureInfo.InvariantCulture))}</text>");
        }
        foreach (var x in points.Select(p => p.X).Distinct().Order())
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(x))}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\" class=\"tick\">{E(x.ToString("0", CultureInfo.InvariantCulture))}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth / 2}\" y=\"{top + plotHeight + 36}\" text-anchor=\"middle\" class=\"axis\">{E(chart.XUnit)} (log scale)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {top + plotHeight / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">{E(chart.YUnit)}</text>");
        if (chart.ReferenceLine is { } reference)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(reference))}\" y2=\"{F(Y(reference))}\" class=\"target\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth - 4}\" y=\"{F(Y(reference) - 4)}\" text-anchor=\"end\" class=\"tick\">{E(chart.ReferenceLabel ?? "")} {E(reference.ToString("#,0", CultureInfo.InvariantCulture))} ms</text>");
        }
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var color = Palette[s % Palette.Length];
            var path = string.Join(" ", series.Points.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>");
            foreach (var p in series.Points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"3.5\" fill=\"{color}\"><title>{E(series.Name)}: concurrency {E(p.X.ToString("0", CultureInfo.InvariantCulture))}, p95 {E(p.Y.ToString("#,0", CultureInfo.InvariantCulture))} ms</title></circle>");
            }
            Legend(svg, left, legendTop, legend, s, color);
        }
        return End(svg);
    }

    /// <summary>Legend entry <paramref name="index"/> below the plot, in full (wrapped, never cut), so no two read the same.</summary>
    private static void Legend(StringBuilder svg, int left, int legendTop, List<List<string>> legend, int index, string color)
    {
        var y = legendTop + legend.Take(index).Sum(l => l.Count * LineHeight + 4);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{color}\"/>");
        svg.Append(TextLines(left + 14, y, legend[index], "label", "start"));
    }

    /// <summary>Lines on log10 axes in both directions (decade ticks), for cost per accepted output against volume
    /// from 10^3 to 10^9: a per-token route is flat, a capacity route falls and steps up when a replica is added.</summary>
    public static string LogLines(LineChart chart)
    {
        const int left = 80, plotHeight = 280;
        var titleLines = Wrap(chart.Title, TitleChars);
        var top = 24 + titleLines.Count * 18;
        var plotWidth = Width - left - 30;
        var legend = chart.Series.Select(x => Wrap(x.Name, LegendChars)).ToList();
        var points = chart.Series.SelectMany(s => s.Points).Where(p => p.X > 0 && p.Y > 0).ToList();
        var xMin = Math.Floor(Math.Log10(points.Count == 0 ? 1e3 : points.Min(p => p.X)));
        var xMax = Math.Max(xMin + 1, Math.Ceiling(Math.Log10(points.Count == 0 ? 1e9 : points.Max(p => p.X))));
        var yMin = Math.Floor(Math.Log10(points.Count == 0 ? 0.001 : points.Min(p => p.Y)));
        var yMax = Math.Max(yMin + 1, Math.Ceiling(Math.Log10(points.Count == 0 ? 1 : points.Max(p => p.Y))));
        double X(double v) => left + (Math.Log10(v) - xMin) / (xMax - xMin) * plotWidth;
        double Y(double v) => top + plotHeight - (Math.Log10(v) - yMin) / (yMax - yMin) * plotHeight;
        var legendTop = top + plotHeight + 56;
        var svg = Begin(chart.Title, titleLines, legendTop + legend.Sum(l => l.Count * LineHeight + 4) + 8);
        for (var e = yMin; e <= yMax; e++)
        {
            var v = Math.Pow(10, e);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotWidth}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\" class=\"tick\">{E(Usd(v))}</text>");
        }
        for (var e = xMin; e <= xMax; e++)
        {
            var v = Math.Pow(10, e);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(v))}\" x2=\"{F(X(v))}\" y1=\"{top}\" y2=\"{top + plotHeight}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(v))}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\" class=\"tick\">10^{e.ToString("0", CultureInfo.InvariantCulture)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth / 2}\" y=\"{top + plotHeight + 36}\" text-anchor=\"middle\" class=\"axis\">{E(chart.XUnit)} (log scale)</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(16 {top + plotHeight / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">{E(chart.YUnit)} (log scale)</text>");
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var color = Palette[s % Palette.Length];
            var visible = series.Points.Where(p => p.X > 0 && p.Y > 0).ToList();
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(" ", visible.Select(p => $"{F(X(p.X))},{F(Y(p.Y))}"))}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"><title>{E(series.Name)}</title></polyline>");
            Legend(svg, left, legendTop, legend, s, color);
        }
        return End(svg);
    }

    public static string PairedBars(PairedBarChart chart)
    {
        var max = NiceMax(chart.Bars.Count == 0 ? 1 : chart.Bars.Max(b => Math.Max(b.Raw, b.Adjusted)));
        var plotWidth = Width - LabelWidth - 60;
        var labels = chart.Bars.Select(b => Wrap(b.Label, LabelChars)).ToList();
        var heights = labels.Select(l => Math.Max(34, l.Count * LineHeight + 8)).ToList();
        var titleLines = Wrap(chart.Title, TitleChars);
        var top = 24 + titleLines.Count * 18;
        var height = top + 22 + heights.Sum() + 60;
        var svg = Begin(chart.Title, titleLines, height);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{top - 8}\" width=\"10\" height=\"10\" fill=\"#9aa5b1\"/><text x=\"{LabelWidth + 14}\" y=\"{top + 1}\" class=\"label\">{E(chart.RawLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth + 180}\" y=\"{top - 8}\" width=\"10\" height=\"10\" fill=\"#1f77b4\"/><text x=\"{LabelWidth + 194}\" y=\"{top + 1}\" class=\"label\">{E(chart.AdjustedLabel)}</text>");
        var y = top + 12;
        for (var i = 0; i < chart.Bars.Count; i++)
        {
            var bar = chart.Bars[i];
            var h = heights[i];
            var mid = y + h / 2.0;
            svg.Append(TextLines(LabelWidth - 6, mid - (labels[i].Count - 1) * LineHeight / 2.0 + 4, labels[i], "label", "end"));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{F(mid - 14)}\" width=\"{F(Math.Max(1, bar.Raw / max * plotWidth))}\" height=\"13\" fill=\"#9aa5b1\"><title>{E(bar.Label)}: {E(Tokens(bar.Raw))} raw</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{F(mid)}\" width=\"{F(Math.Max(1, bar.Adjusted / max * plotWidth))}\" height=\"13\" fill=\"#1f77b4\"><title>{E(bar.Label)}: {E(Tokens(bar.Adjusted))} cache-adjusted</title></rect>");
            y += h;
        }
        XAxis(svg, y, max, plotWidth, chart.Unit, Tokens);
        return End(svg);
    }

    /// <summary>Breaks text into lines of at most <paramref name="chars"/> characters, at " · " or spaces where it can,
    /// so a label is wrapped, never cut.</summary>
    internal static List<string> Wrap(string text, int chars)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Replace(" · ", " ·\u0001", StringComparison.Ordinal).Split([' ', '\u0001']))
        {
            var piece = word;
            while (piece.Length > chars)
            {
                if (line.Length > 0)
                {
                    lines.Add(line);
                    line = "";
                }
                lines.Add(piece[..chars]);
                piece = piece[chars..];
            }
            var joined = line.Length == 0 ? piece : line + " " + piece;
            if (joined.Length > chars)
            {
                lines.Add(line);
                line = piece;
            }
            else
            {
                line = joined;
            }
        }
        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line);
        }
        return lines;
    }

    private static string TextLines(double x, double y, List<string> lines, string cls, string anchor)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" class=\"{cls}\">");
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{F(x)}\" dy=\"{(i == 0 ? 0 : LineHeight)}\">{E(lines[i])}</tspan>");
        }
        return text.Append("</text>").ToString();
    }

    private static void XAxis(StringBuilder svg, int y, double max, double plotWidth, string unit, Func<double, string> format)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{LabelWidth}\" x2=\"{F(LabelWidth + plotWidth)}\" y1=\"{y}\" y2=\"{y}\" class=\"grid\"/>");
        for (var t = 0; t <= 4; t++)
        {
            var x = LabelWidth + plotWidth * t / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{y + 14}\" text-anchor=\"middle\" class=\"tick\">{E(format(max * t / 4))}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(LabelWidth + plotWidth / 2)}\" y=\"{y + 32}\" text-anchor=\"middle\" class=\"axis\">{E(unit)}</text>");
    }

    /// <summary>A chart as a file of its own: the report's chart styles inlined, so grid lines and labels render anywhere.</summary>
    public static string Standalone(string svg)
    {
        const string style = "<style>.title{font:600 14px sans-serif}.label{font:11px sans-serif}.value,.tick{font:10px sans-serif;fill:#57606a}.axis{font:12px sans-serif}.grid{stroke:#d0d7de}.target{stroke:#a40e26;stroke-dasharray:6 4;stroke-width:1.5}</style>";
        var end = svg.IndexOf('>', StringComparison.Ordinal) + 1;
        return svg[..end] + style + svg[end..] + "\n";
    }

    private static StringBuilder Begin(string title, List<string> titleLines, int height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" role=\"img\" aria-label=\"{E(title)}\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title><text x=\"8\" y=\"20\" class=\"title\">");
        for (var i = 0; i < titleLines.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"8\" dy=\"{(i == 0 ? 0 : 18)}\">{E(titleLines[i])}</tspan>");
        }
        svg.Append("</text>");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>A round axis maximum (1, 2, 2.5 or 5 × 10^k) at or above the data's maximum.</summary>
    public static double NiceMax(double value)
    {
        if (value <= 0 || !double.IsFinite(value))
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static string Usd(double v) => "$" + v.ToString(v < 0.01 ? "0.#####" : "0.###", CultureInfo.InvariantCulture);
    private static string Tokens(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string E(string text) => WebUtility.HtmlEncode(text);
}

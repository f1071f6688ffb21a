using System.Globalization;
using System.Net;
using System.Text;

namespace Vigil.Dashboard.Charts;

/// <summary>
/// Small SVG charts drawn on the server: a sparkline, a line chart with axes and a bar chart. Missing values (null)
/// break the line rather than being drawn as zero. The SVG scales to its container (viewBox, width 100%).
/// </summary>
public static class SvgChart
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A tiny trend line with a dot on the last value; an empty string when no value is known.</summary>
    public static string Sparkline(IReadOnlyList<double?> values, int width = 120, int height = 28, string label = "trend")
    {
        if (!values.Any(v => v.HasValue)) return "";
        var (min, max) = Range(values);
        var points = Points(values, width, height, 2, min, max);
        var sb = new StringBuilder();
        sb.Append(Invariant, $"<svg class=\"spark\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Esc(label)}\">");
        foreach (var segment in Segments(points)) sb.Append(Invariant, $"<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"{segment}\"/>");
        var last = points.Last(p => p.HasValue)!.Value;
        sb.Append(Invariant, $"<circle cx=\"{F(last.X)}\" cy=\"{F(last.Y)}\" r=\"2.5\" fill=\"currentColor\"/></svg>");
        return sb.ToString();
    }

    /// <summary>A line chart with a title, min/max labels on the y axis and the first/last label on the x axis.</summary>
    public static string Line(string title, IReadOnlyList<string> labels, IReadOnlyList<double?> values, Func<double, string> format,
        int width = 480, int height = 160)
    {
        if (labels.Count != values.Count) throw new ArgumentException("One label per value.", nameof(labels));
        const int left = 56, bottom = 22, top = 22;
        var sb = Open(title, width, height);
        if (!values.Any(v => v.HasValue)) return Close(sb.Append(Invariant, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"muted\">no data yet</text>"));
        var (min, max) = Range(values);
        var plot = Points(values, width - left - 8, height - top - bottom, 4, min, max).Select(p => p is { } q ? (X: q.X + left, Y: q.Y + top) : ((double X, double Y)?)null).ToList();
        sb.Append(Invariant, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" class=\"axis\"/>");
        sb.Append(Invariant, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - 8}\" y2=\"{height - bottom}\" class=\"axis\"/>");
        sb.Append(Invariant, $"<text x=\"{left - 4}\" y=\"{top + 4}\" text-anchor=\"end\" class=\"tick\">{Esc(format(max))}</text>");
        sb.Append(Invariant, $"<text x=\"{left - 4}\" y=\"{height - bottom}\" text-anchor=\"end\" class=\"tick\">{Esc(format(min))}</text>");
        sb.Append(Invariant, $"<text x=\"{left}\" y=\"{height - 6}\" class=\"tick\">{Esc(labels[0])}</text>");
        sb.Append(Invariant, $"<text x=\"{width - 8}\" y=\"{height - 6}\" text-anchor=\"end\" class=\"tick\">{Esc(labels[^1])}</text>");
        foreach (var segment in Segments(plot)) sb.Append(Invariant, $"<polyline fill=\"none\" class=\"series\" stroke-width=\"2\" points=\"{segment}\"/>");
        for (var i = 0; i < plot.Count; i++)
        {
            if (plot[i] is not { } p) continue;
            sb.Append(Invariant, $"<circle cx=\"{F(p.X)}\" cy=\"{F(p.Y)}\" r=\"2.5\" class=\"dot\"><title>{Esc(labels[i])}: {Esc(format(values[i]!.Value))}</title></circle>");
        }
        return Close(sb);
    }

    /// <summary>Vertical bars, one per bucket, scaled to the largest; labels of the first and last bucket under the axis.</summary>
    public static string Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<long> counts, int width = 480, int height = 160)
    {
        if (labels.Count != counts.Count) throw new ArgumentException("One label per count.", nameof(labels));
        const int left = 40, bottom = 22, top = 22;
        var sb = Open(title, width, height);
        if (counts.Count == 0) return Close(sb.Append(Invariant, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"muted\">no data yet</text>"));
        var max = Math.Max(1, counts.Max());
        var plotWidth = width - left - 8.0;
        var plotHeight = height - top - bottom;
        var step = plotWidth / counts.Count;
        sb.Append(Invariant, $"<text x=\"{left - 4}\" y=\"{top + 4}\" text-anchor=\"end\" class=\"tick\">{max}</text>");
        sb.Append(Invariant, $"<text x=\"{left - 4}\" y=\"{height - bottom}\" text-anchor=\"end\" class=\"tick\">0</text>");
        for (var i = 0; i < counts.Count; i++)
        {
            var h = counts[i] * plotHeight / (double)max;
            sb.Append(Invariant, $"<rect x=\"{F(left + i * step + 1)}\" y=\"{F(top + plotHeight - h)}\" width=\"{F(Math.Max(1, step - 2))}\" height=\"{F(h)}\" class=\"bar\"><title>{Esc(labels[i])}: {counts[i]}</title></rect>");
        }
        sb.Append(Invariant, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - 8}\" y2=\"{height - bottom}\" class=\"axis\"/>");
        sb.Append(Invariant, $"<text x=\"{left}\" y=\"{height - 6}\" class=\"tick\">{Esc(labels[0])}</text>");
        sb.Append(Invariant, $"<text x=\"{width - 8}\" y=\"{height - 6}\" text-anchor=\"end\" class=\"tick\">{Esc(labels[^1])}</text>");
        return Close(sb);
    }

    /// <summary>Stages as horizontal bars on one time axis (a Gantt row each), with their durations.</summary>
    public static string Timeline(IReadOnlyList<(string Name, DateTimeOffset Start, DateTimeOffset End, bool Failed)> stages, int width = 640)
    {
        const int left = 90, row = 22, top = 22;
        var height = top + Math.Max(1, stages.Count) * row + 8;
        var sb = Open("Stage timeline", width, height);
        if (stages.Count == 0) return Close(sb.Append(Invariant, $"<text x=\"{width / 2}\" y=\"{top + 14}\" text-anchor=\"middle\" class=\"muted\">no stage finished yet</text>"));
        var start = stages.Min(s => s.Start);
        var span = Math.Max(1, (stages.Max(s => s.End) - start).TotalMilliseconds);
        var plot = width - left - 70.0;
        for (var i = 0; i < stages.Count; i++)
        {
            var (name, from, to, failed) = stages[i];
            var x = left + (from - start).TotalMilliseconds / span * plot;
            var w = Math.Max(2, (to - from).TotalMilliseconds / span * plot);
            var y = top + i * row;
            sb.Append(Invariant, $"<text x=\"{left - 6}\" y=\"{y + 14}\" text-anchor=\"end\" class=\"tick\">{Esc(name)}</text>");
            sb.Append(Invariant, $"<rect x=\"{F(x)}\" y=\"{y + 3}\" width=\"{F(w)}\" height=\"{row - 8}\" class=\"{(failed ? "bar failed" : "bar")}\"/>");
            sb.Append(Invariant, $"<text x=\"{F(x + w + 4)}\" y=\"{y + 14}\" class=\"tick\">{Esc(ViewModels.Format.Duration((to - from).TotalMilliseconds))}</text>");
        }
        return Close(sb);
    }

    private static StringBuilder Open(string title, int width, int height) => new StringBuilder()
        .Append(Invariant, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"{Esc(title)}\">")
        .Append(Invariant, $"<text x=\"4\" y=\"14\" class=\"chart-title\">{Esc(title)}</text>");

    private static string Close(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static (double Min, double Max) Range(IReadOnlyList<double?> values)
    {
        var known = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        var (min, max) = (known.Min(), known.Max());
        // One value (or all equal): a band of 5 % around it, so a rate of 0.6 % is not drawn on a -99 %..101 % axis.
        var pad = min == 0 ? 1 : Math.Abs(min) * 0.05;
        return min == max ? (min - pad, max + pad) : (min, max);
    }

    private static List<(double X, double Y)?> Points(IReadOnlyList<double?> values, double width, double height, double pad, double min, double max)
    {
        var step = values.Count > 1 ? (width - 2 * pad) / (values.Count - 1) : 0;
        return values.Select((v, i) => v is { } value
            ? (pad + (values.Count > 1 ? i * step : (width - 2 * pad) / 2), pad + (height - 2 * pad) * (1 - (value - min) / (max - min)))
            : ((double X, double Y)?)null).ToList();
    }

    /// <summary>Runs of consecutive known points as polyline point lists.</summary>
    private static IEnumerable<string> Segments(IReadOnlyList<(double X, double Y)?> points)
    {
        var current = new List<string>();
        foreach (var p in points)
        {
            if (p is { } q) { current.Add($"{F(q.X)},{F(q.Y)}"); continue; }
            if (current.Count > 0) yield return string.Join(' ', current);
            current.Clear();
        }
        if (current.Count > 0) yield return string.Join(' ', current);
    }

    private static string F(double value) => value.ToString("0.#", Invariant);

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}

using System.Text.RegularExpressions;
using System.Xml.Linq;
using Vigil.Dashboard.Charts;

namespace Vigil.Dashboard.UnitTests;

public sealed class SvgChartTests
{
    [Fact]
    public void Sparkline_is_empty_when_no_value_is_known()
    {
        Assert.Equal("", SvgChart.Sparkline([null, null]));
        Assert.Equal("", SvgChart.Sparkline([]));
    }

    [Fact]
    public void Sparkline_breaks_the_line_at_a_missing_value_instead_of_drawing_zero()
    {
        var svg = XElement.Parse(SvgChart.Sparkline([90, 95, null, 80, 85]));

        var lines = svg.Elements().Where(e => e.Name.LocalName == "polyline").ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(2, l.Attribute("points")!.Value.Split(' ').Length));
    }

    [Fact]
    public void Sparkline_puts_the_highest_value_at_the_top_and_the_lowest_at_the_bottom()
    {
        var svg = XElement.Parse(SvgChart.Sparkline([50, 100, 0], width: 100, height: 20));

        var ys = svg.Elements().Single(e => e.Name.LocalName == "polyline").Attribute("points")!.Value.Split(' ')
            .Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(ys[1] < ys[0] && ys[0] < ys[2], string.Join(" ", ys));
        Assert.Equal(2, ys[1]);   // the padding
        Assert.Equal(18, ys[2]);
    }

    [Fact]
    public void Line_chart_labels_its_range_and_escapes_text()
    {
        var svg = SvgChart.Line("DQ <score>", ["2026-01-01", "2026-01-02"], [71.5, 98.25], v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));

        var parsed = XElement.Parse(svg);
        var texts = parsed.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains("DQ <score>", texts);
        Assert.Contains("98.3", texts);
        Assert.Contains("71.5", texts);
        Assert.Contains("2026-01-02", texts);
    }

    [Fact]
    public void Line_chart_without_data_says_so()
    {
        Assert.Contains("no data yet", SvgChart.Line("Rows", ["a"], [null], v => v.ToString()));
    }

    [Fact]
    public void Bars_scale_to_the_largest_count()
    {
        var svg = XElement.Parse(SvgChart.Bars("Anomalies", ["a", "b", "c"], [0, 5, 10], width: 200, height: 122));

        var heights = svg.Elements().Where(e => e.Name.LocalName == "rect").Select(e => double.Parse(e.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, heights.Count);
        Assert.Equal(0, heights[0]);
        Assert.Equal(heights[2] / 2, heights[1], 1);
        Assert.Equal(122 - 22 - 22, heights[2]);
    }

    [Fact]
    public void Timeline_draws_one_bar_per_stage_and_marks_a_failed_stage()
    {
        var t0 = DateTimeOffset.Parse("2026-12-01T10:00:00Z");
        var svg = SvgChart.Timeline([("ingest", t0, t0.AddSeconds(1), false), ("validate", t0.AddSeconds(1), t0.AddSeconds(4), true)]);

        var rects = XElement.Parse(svg).Elements().Where(e => e.Name.LocalName == "rect").ToList();
        Assert.Equal(2, rects.Count);
        Assert.Equal("bar failed", rects[1].Attribute("class")!.Value);
        Assert.Matches(new Regex(@">3\.0 s<"), svg);
        var w0 = double.Parse(rects[0].Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var w1 = double.Parse(rects[1].Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3, w1 / w0, 1);
    }
}

using InferCost.Reports;

namespace InferCost.Reports.Tests;

public class RendererTests
{
    [Theory]
    [InlineData(0.0042, 0.005)]
    [InlineData(3.7, 5)]
    [InlineData(21, 25)]
    [InlineData(100, 100)]
    [InlineData(0, 1)]
    public void Chart_axes_end_on_a_round_number_at_or_above_the_data(double max, double expected)
    {
        Assert.Equal(expected, SvgCharts.NiceMax(max), 12);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@sum", "'@sum")]
    [InlineData("-cmd", "'-cmd")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("a,b", "\"a,b\"")]
    public void Csv_cells_are_quoted_and_formula_injection_is_neutralised(string cell, string expected)
    {
        Assert.Equal(expected, MetricsCsv.CsvCell(cell));
    }

    [Fact]
    public void Svg_bar_labels_are_escaped()
    {
        var chart = new Core.Reporting.BarChart("t<i>", "USD", [new Core.Reporting.BarDatum("<script>x</script>", "s", 1)], null, null);

        var svg = SvgCharts.Bars(chart);

        Assert.DoesNotContain("<script>", svg);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", svg);
        Assert.Contains("t&lt;i&gt;", svg);
    }
}

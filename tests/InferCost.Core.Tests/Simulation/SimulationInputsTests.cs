using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

public sealed class SimulationInputsTests
{
    [Fact]
    public void Measured_points_read_in_any_column_order()
    {
        var csv = "outputTokens,concurrency,ttftMs,outputTokensPerSecond,notes\n400,1,300,60,x\r\n400,8,900,20,\n";

        var result = SimulationInputs.ReadMeasuredPoints(new StringReader(csv));

        Assert.True(result.IsValid);
        Assert.Equal([1, 8], result.Value!.Select(p => p.Concurrency));
        Assert.Equal(900, result.Value![1].TtftMs);
    }

    [Fact]
    public void Every_bad_point_is_reported_with_line_column_and_value()
    {
        var csv = "concurrency,ttftMs,outputTokensPerSecond,outputTokens\n1,300,60,400\n2,\"2,800\",40,400\n0,300,0,400\n";

        var result = SimulationInputs.ReadMeasuredPoints(new StringReader(csv));

        Assert.Null(result.Value);
        Assert.Contains(result.Problems, p => p is { Line: 3, Column: "ttftMs" });
        Assert.Contains(result.Problems, p => p is { Line: 4, Column: "concurrency" });
        Assert.Contains("points.csv, line 3, column 2 (ttftMs): value \"2,800\"", result.Problems[0].ToSentence("points.csv"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_without_the_needed_columns_is_named()
    {
        var result = SimulationInputs.ReadMeasuredPoints(new StringReader("concurrency,ttft\n1,2\n"));

        Assert.Contains(result.Problems, p => p.Column == "ttftMs");
        Assert.Contains(result.Problems, p => p.Column == "outputTokensPerSecond");
    }

    [Fact]
    public void A_demand_shape_needs_all_24_hours()
    {
        var full = "hour,multiplier\n" + string.Join("\n", Enumerable.Range(0, 24).Select(h => $"{h},{(h == 12 ? 1.0 : 0.5)}"));
        var short23 = string.Join("\n", Enumerable.Range(0, 23).Select(_ => "1"));

        var ok = SimulationInputs.ReadDemandShape(new StringReader(full));
        var missing = SimulationInputs.ReadDemandShape(new StringReader(short23));

        Assert.True(ok.IsValid);
        Assert.Equal(1.0, ok.Value![12]);
        Assert.False(missing.IsValid);
        Assert.Contains("23", missing.Problems.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_times_accept_seconds_or_iso_timestamps_and_start_at_zero()
    {
        var seconds = SimulationInputs.ReadReplayTimes(new StringReader("t\n105.5\n100\n101\n"));
        var iso = SimulationInputs.ReadReplayTimes(new StringReader("2026-11-22T10:00:01Z\n2026-11-22T10:00:00Z\n"));

        Assert.Equal([0.0, 1.0, 5.5], seconds.Value!);
        Assert.Equal([0.0, 1.0], iso.Value!);
    }

    [Theory]
    [InlineData("24h", 86_400)]
    [InlineData("10m", 600)]
    [InlineData("90s", 90)]
    [InlineData("1500ms", 1.5)]
    [InlineData("2d", 172_800)]
    [InlineData("45", 45)]
    public void Durations_parse_with_units(string text, double seconds)
    {
        Assert.True(SimulationInputs.TryParseDurationSeconds(text, out var parsed));
        Assert.Equal(seconds, parsed, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5m")]
    [InlineData("1,5h")]
    [InlineData("ten minutes")]
    public void Bad_durations_are_refused(string text)
    {
        Assert.False(SimulationInputs.TryParseDurationSeconds(text, out _));
    }

    [Theory]
    [InlineData("latencyP95Ms<=8000", "latencyP95Ms", TargetComparison.AtMost, 8000)]
    [InlineData(" UTILIZATION >= 0.7 ", "utilization", TargetComparison.AtLeast, 0.7)]
    public void Targets_parse(string text, string metric, TargetComparison comparison, double threshold)
    {
        var target = SimulationTarget.TryParse(text, out var error);

        Assert.Null(error);
        Assert.Equal(new SimulationTarget(metric, comparison, threshold), target);
    }

    [Theory]
    [InlineData("latencyP95Ms<8000")]
    [InlineData("latencyP97Ms<=8000")]
    [InlineData("latencyP95Ms<=8,000")]
    public void Bad_targets_say_why(string text)
    {
        Assert.Null(SimulationTarget.TryParse(text, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}

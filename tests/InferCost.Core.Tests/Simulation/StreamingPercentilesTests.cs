using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

public sealed class StreamingPercentilesTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.5)]
    [InlineData(0.95, 3.85)] // numpy.percentile([1,2,3,4], 95) = 3.85
    [InlineData(1.0, 4.0)]
    public void Exact_percentiles_interpolate_between_order_statistics_like_numpy(double q, double expected)
    {
        var p = new StreamingPercentiles(exactLimit: 100);
        foreach (var v in new[] { 4.0, 1.0, 3.0, 2.0 })
        {
            p.Add(v);
        }

        Assert.Equal(expected, p.Quantile(q)!.Value, 12);
        Assert.Equal(PercentileMethod.Exact, p.Method);
    }

    [Fact]
    public void No_values_means_no_percentile()
    {
        Assert.Null(new StreamingPercentiles(10).Quantile(0.5));
    }

    [Property(MaxTest = 100)]
    public void The_sketch_stays_within_its_relative_error_of_an_adjacent_order_statistic(NonEmptyArray<PositiveInt> raw, PositiveInt qSeed)
    {
        var values = raw.Get.Select(v => v.Get % 100_000 / 7.0).ToArray();
        var sketch = new StreamingPercentiles(exactLimit: 0);
        foreach (var v in values)
        {
            sketch.Add(v);
        }
        var q = qSeed.Get % 101 / 100.0;
        Array.Sort(values);
        var rank = (int)Math.Floor(q * (values.Length - 1));
        var lower = values[rank];
        var upper = values[Math.Min(rank + 1, values.Length - 1)];

        var estimate = sketch.Quantile(q)!.Value;

        Assert.Equal(PercentileMethod.Sketch, sketch.Method);
        var slack = StreamingPercentiles.SketchRelativeError * upper + StreamingPercentiles.SketchMinimumMs;
        Assert.InRange(estimate, lower * (1 - StreamingPercentiles.SketchRelativeError) - StreamingPercentiles.SketchMinimumMs, upper + slack);
    }

    [Fact]
    public void Passing_the_exact_limit_moves_every_sample_into_the_sketch()
    {
        var p = new StreamingPercentiles(exactLimit: 1_000);
        for (var i = 1; i <= 5_000; i++)
        {
            p.Add(i);
        }

        Assert.Equal(PercentileMethod.Sketch, p.Method);
        Assert.Equal(5_000, p.Count);
        Assert.Equal(2_500.5, p.Mean!.Value, 9);
        Assert.InRange(p.Quantile(0.5)!.Value, 2_500 * 0.999, 2_501 * 1.001);
        Assert.InRange(p.Quantile(0.99)!.Value, 4_950 * 0.999, 4_951 * 1.001);
    }

    [Theory]
    [InlineData(0.40, 10, 4.6)]   // rank 3.6 of a population of 10 falls among the 5 answers 1..5
    [InlineData(0.95, 5, 4.8)]    // no failures: the plain percentile
    public void Failures_rank_above_every_answer(double q, long population, double expected)
    {
        var p = Five();

        Assert.Equal(expected, p.QuantileWithFailuresAbove(q, population)!.Value, 9);
    }

    [Fact]
    public void A_percentile_that_reaches_the_failures_is_beyond_any_answer()
    {
        // 5 answers of 10: the median's rank 4.5 interpolates towards a failure.
        Assert.Null(Five().QuantileWithFailuresAbove(0.5, 10));
    }

    private static StreamingPercentiles Five()
    {
        var p = new StreamingPercentiles(100);
        foreach (var v in new[] { 5.0, 1.0, 2.0, 4.0, 3.0 })
        {
            p.Add(v);
        }
        return p;
    }
}

using InferCost.Bench.Client;
using InferCost.Core.Events;

namespace InferCost.Bench.Tests;

public sealed class BenchSummaryTests
{
    [Fact]
    public void Per_second_figures_are_over_the_recorded_requests_window_not_the_warm_up()
    {
        // Three recorded requests starting 0, 1 and 2 s into the window, 500 ms each: served in 2.5 s. The level
        // ran 10 s in all, the first 7.5 s of it warm-up that is not recorded.
        var t0 = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 3).Select(i => Harness.OkEvent("r" + i, t0.AddSeconds(i), 500)).ToList();
        var level = new BenchLevel(LevelMode.Rate, 1);
        var outcome = new LevelOutcome
        {
            Level = level,
            Events = events,
            WallSeconds = 10,
            ErrorsByClass = new Dictionary<string, long>(),
            TokensFromUsage = 3,
            TokensFromTokenizer = 0,
        };
        var settings = Harness.Settings(Harness.Synthetic(), level) with { Warmup = 7 };

        var summary = BenchSummaryBuilder.Build(settings, "http://127.0.0.1/v1", null, t0, [outcome], cancelled: false).Levels.Single();

        Assert.Equal(10, summary.WallSeconds);
        Assert.Equal(2.5, summary.MeasuredSeconds, 9);
        Assert.Equal(3 / 2.5, summary.ThroughputRequestsPerSecond, 9);
        Assert.Equal(3 / 2.5, summary.GoodputRequestsPerSecond, 9);
        // Little's law over the same window: 1.5 s of requests in flight over 2.5 s.
        Assert.Equal(1.5 / 2.5, summary.MeanInFlight!.Value, 9);
    }
}

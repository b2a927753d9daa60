using System.Diagnostics;
using InferCost.Bench.Client;

namespace InferCost.Bench.Tests;

[Collection(TimingCollection.Name)]
public sealed class PreciseWaitTests
{
    [Fact]
    public void Waits_end_at_their_deadline_never_early_and_well_under_a_millisecond_late()
    {
        // 200 waits of 0.1–3 ms, the gaps of a 1,000 req/s schedule. A millisecond timer (Task.Delay, Thread.Sleep)
        // would be ~1 ms late on most of them; the bound for the median is a quarter of that.
        var random = new Random(5);
        var lateMs = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)((0.1 + random.NextDouble() * 2.9) * Stopwatch.Frequency / 1000);
            Assert.True(PreciseWait.Until(deadline, CancellationToken.None));
            var now = Stopwatch.GetTimestamp();
            Assert.True(now >= deadline, "a wait ended before its deadline");
            lateMs.Add((now - deadline) * 1000.0 / Stopwatch.Frequency);
        }
        var median = Harness.P50(lateMs);
        Assert.True(median < 0.25, $"median lateness {median:F3} ms");
    }

    [Fact]
    public void A_cancelled_wait_returns_false_within_the_longest_sleep()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        var started = Stopwatch.GetTimestamp();

        var reached = PreciseWait.Until(started + 10 * Stopwatch.Frequency, cancel.Token);

        Assert.False(reached);
        // Sleeps last 20 ms at most, so a cancellation at 30 ms is seen before ~50 ms (generous bound for load).
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 25, 1000);
    }
}

using System.Diagnostics;
using InferCost.Bench.Client;

namespace InferCost.Bench.Tests;

/// <summary>What PreciseWait promises on any machine: never early, and a cancellation ends the wait with false. How
/// late it is on an idle core (tens of microseconds) is a measurement, in bench/http's schedule lag.</summary>
[Collection(TimingCollection.Name)]
public sealed class PreciseWaitTests
{
    [Fact]
    public void Waits_never_end_before_their_deadline()
    {
        var random = new Random(5);
        for (var i = 0; i < 50; i++)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)((0.1 + random.NextDouble() * 2.9) * Stopwatch.Frequency / 1000);
            Assert.True(PreciseWait.Until(deadline, CancellationToken.None));
            Assert.True(Stopwatch.GetTimestamp() >= deadline, "a wait ended before its deadline");
        }
    }

    [Fact]
    public void A_wait_already_cancelled_returns_false_without_waiting_for_its_deadline()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var deadline = Stopwatch.GetTimestamp() + 3600 * Stopwatch.Frequency;

        Assert.False(PreciseWait.Until(deadline, cancel.Token));
        Assert.True(Stopwatch.GetTimestamp() < deadline);
    }

    [Fact]
    public async Task A_wait_cancelled_while_it_sleeps_returns_false_before_its_deadline()
    {
        // An hour's wait, cancelled from another thread: returning at all (false, before the hour) is the point.
        using var cancel = new CancellationTokenSource();
        var deadline = Stopwatch.GetTimestamp() + 3600 * Stopwatch.Frequency;
        var waiting = Task.Run(() => PreciseWait.Until(deadline, cancel.Token));
        cancel.CancelAfter(30);

        Assert.False(await waiting);
        Assert.True(Stopwatch.GetTimestamp() < deadline);
    }
}

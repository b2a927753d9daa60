using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Given Poisson arrivals, exponential service and one slot per replica (M/M/c), when the simulator runs
/// long enough, then it agrees with Erlang C within 3 %.</summary>
public sealed class ErlangCAgreementTests
{
    private const double Lambda = 8.0;
    private const double MeanServiceSeconds = 1.0;
    private const double Tolerance = 0.03;

    private static SimulationConfig MmC(int replicas, long requests, ulong seed = 7) => new()
    {
        Arrivals = new RenewalArrivals(Lambda),
        Service = new ExponentialService(MeanServiceSeconds * 1000.0),
        Replicas = replicas,
        MaxConcurrencyPerReplica = 1,
        Length = RunLength.OfRequests(requests),
        Warmup = Warmup.OfFraction(0.05),
        Seed = seed,
    };

    private static void AssertWithin(double expected, double? actual, string what)
    {
        Assert.NotNull(actual);
        var relative = Math.Abs(actual!.Value - expected) / expected;
        Assert.True(relative <= Tolerance,
            $"{what}: simulated {actual:F3}, Erlang C {expected:F3}, off by {relative:P2} (allowed {Tolerance:P0}).");
    }

    [Fact]
    public void The_formula_reproduces_the_issue_figures()
    {
        // Guards the reference itself: the issue quotes these for λ = 8/s, 1 s service, 10 replicas.
        Assert.Equal(0.40918, ErlangC.WaitProbability(Lambda, MeanServiceSeconds, 10), 5);
        Assert.Equal(204.59, ErlangC.MeanWaitMs(Lambda, MeanServiceSeconds, 10), 2);
        Assert.Equal(1051.07, ErlangC.WaitQuantileMs(Lambda, MeanServiceSeconds, 10, 0.95), 2);
        Assert.Equal(1855.79, ErlangC.WaitQuantileMs(Lambda, MeanServiceSeconds, 10, 0.99), 2);
    }

    [Fact]
    public void Ten_replicas_at_eight_requests_per_second_match_erlang_c_within_three_percent()
    {
        var result = Simulator.Run(MmC(replicas: 10, requests: 8_000_000));

        AssertWithin(ErlangC.WaitProbability(Lambda, MeanServiceSeconds, 10), result.WaitProbability, "waitProbability");
        AssertWithin(ErlangC.MeanWaitMs(Lambda, MeanServiceSeconds, 10), result.QueueWaitMeanMs, "queueWaitMeanMs");
        AssertWithin(ErlangC.WaitQuantileMs(Lambda, MeanServiceSeconds, 10, 0.95), result.QueueWaitP95Ms, "queueWaitP95Ms");
        AssertWithin(ErlangC.WaitQuantileMs(Lambda, MeanServiceSeconds, 10, 0.99), result.QueueWaitP99Ms, "queueWaitP99Ms");
        AssertWithin(Lambda * MeanServiceSeconds / 10, result.Utilization, "utilization");
        // Sojourn = wait + service, so the means add.
        AssertWithin(ErlangC.MeanWaitMs(Lambda, MeanServiceSeconds, 10) + MeanServiceSeconds * 1000, result.LatencyMeanMs, "latencyMeanMs");
    }

    [Fact]
    public void The_fewest_replicas_with_queue_wait_p99_at_most_500_ms_is_the_erlang_c_answer()
    {
        var expected = Enumerable.Range(9, 20).First(c => ErlangC.WaitQuantileMs(Lambda, MeanServiceSeconds, c, 0.99) <= 500.0);
        Assert.Equal(13, expected); // the issue's figure, derived from the formula above

        var target = SimulationTarget.TryParse("queueWaitP99Ms<=500", out _)!;
        var search = CapacityPlanner.FindMinReplicas(MmC(replicas: 1, requests: 200_000), target, maxReplicas: 64);

        Assert.Equal(expected, search.MinReplicas);
        Assert.True(search.AtMinReplicas!.QueueWaitP99Ms <= 500.0);
        Assert.Contains(search.Trials, t => t.Replicas == expected - 1 && !t.Met);
    }

    [Fact]
    public void A_target_the_service_time_alone_misses_stops_the_search_early()
    {
        // Mean service 1 s, exponential: even with no queueing the p95 latency is ln(20) s ≈ 3 s > 2 s.
        var target = SimulationTarget.TryParse("latencyP95Ms<=2000", out _)!;

        var search = CapacityPlanner.FindMinReplicas(MmC(replicas: 1, requests: 20_000), target, maxReplicas: 1024);

        Assert.Null(search.MinReplicas);
        Assert.True(search.Trials.Count < 11, $"{search.Trials.Count} runs");
        Assert.Contains("service itself is too slow", search.NotFoundReason, StringComparison.Ordinal);
    }
}

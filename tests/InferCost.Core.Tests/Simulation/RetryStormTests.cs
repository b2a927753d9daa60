using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Given a 2× burst for ten minutes on a system at 60 % load, when clients time out and retry, then the
/// retries keep it overloaded after the burst ends (a metastable failure); without retries, or when the server
/// drops abandoned work, it recovers.</summary>
public sealed class RetryStormTests
{
    // λ = 6/s on 10 replicas of 1 s mean service: ρ = 0.6 normally, 1.2 during the burst.
    private static SimulationConfig Baseline(ClientPolicy client) => new()
    {
        Arrivals = new RenewalArrivals(6.0),
        Service = new ExponentialService(1000),
        Replicas = 10,
        Length = RunLength.OfRequests(1),
        Client = client,
        Seed = 11,
    };

    // Statistics over the last 15 minutes of a 30-minute recovery, when a healthy system is long back to normal.
    private static SimulationResult AfterStorm(ClientPolicy client, double burstFactor = 2.0)
    {
        var storm = new RetryStormSpec { BurstFactor = burstFactor, LeadInSeconds = 600, BurstSeconds = 600, RecoverySeconds = 1800 };
        var config = Baseline(client);
        var arrivals = new RenewalArrivals(6.0, 1.0, new RateProfile { Burst = new RateBurst(burstFactor, 600, 600) });
        return Simulator.Run(config with
        {
            Arrivals = arrivals,
            Length = RunLength.OfDuration(storm.LeadInSeconds + storm.BurstSeconds + storm.RecoverySeconds),
            Warmup = Warmup.OfSeconds(storm.LeadInSeconds + storm.BurstSeconds + 900),
        });
    }

    private static readonly ClientPolicy Retrying = new() { TimeoutMs = 10_000, MaxRetries = 3, BackoffBaseMs = 500 };

    [Fact]
    public void Retries_on_timeout_keep_the_system_collapsed_after_the_burst()
    {
        var calm = AfterStorm(Retrying, burstFactor: 1.0);
        var storm = AfterStorm(Retrying);

        Assert.True(calm.SuccessRate > 0.99, $"calm success rate {calm.SuccessRate}");
        Assert.True(calm.LatencyP99Ms < 10_000, $"calm p99 {calm.LatencyP99Ms} ms");

        Assert.Null(storm.LatencyP99Ms); // more than 1 % never answered: the p99 is beyond any answer
        Assert.True(storm.SuccessRate < 0.5, $"storm success rate {storm.SuccessRate}");
        Assert.True(storm.RetriesPerRequest > 2, $"storm retries per request {storm.RetriesPerRequest}");
        Assert.True(storm.Utilization > 0.99, $"storm utilization {storm.Utilization}");
        Assert.True(storm.WastedAttempts > storm.Arrivals, "abandoned attempts are still served");
        Assert.Contains("beyond any answer", storm.NullReasons["latencyP99Ms"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_burst_without_retries_recovers()
    {
        var result = AfterStorm(Retrying with { MaxRetries = 0 });

        Assert.True(result.SuccessRate > 0.99, $"success rate {result.SuccessRate}");
        Assert.True(result.LatencyP99Ms < 10_000, $"p99 {result.LatencyP99Ms} ms");
    }

    [Fact]
    public void Retries_recover_when_the_server_drops_abandoned_work()
    {
        var result = AfterStorm(Retrying with { ServerCancelsOnTimeout = true });

        Assert.True(result.SuccessRate > 0.99, $"success rate {result.SuccessRate}");
        Assert.Equal(0, result.WastedAttempts);
    }

    [Fact]
    public void The_planner_storm_measures_from_the_burst_and_reports_the_collapse()
    {
        var calm = CapacityPlanner.RetryStorm(Baseline(Retrying), new RetryStormSpec { BurstFactor = 1.0 });
        var storm = CapacityPlanner.RetryStorm(Baseline(Retrying), new RetryStormSpec());

        Assert.Equal(600, storm.WarmupSeconds);
        Assert.Equal(1800, storm.MeasuredSeconds, 6);
        Assert.NotNull(calm.LatencyP95Ms);
        Assert.Null(storm.LatencyP95Ms);
    }
}

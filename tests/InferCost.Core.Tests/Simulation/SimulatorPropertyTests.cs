using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Invariants that hold for any scenario, checked on random small scenarios.</summary>
public sealed class SimulatorPropertyTests
{
    private static SimulationConfig Scenario(int seed, int replicas, double rate, double meanServiceMs, int slots, ClientPolicy? client = null) => new()
    {
        Arrivals = new RenewalArrivals(rate),
        Service = new ExponentialService(meanServiceMs),
        Replicas = replicas,
        MaxConcurrencyPerReplica = slots,
        Length = RunLength.OfRequests(3_000),
        Warmup = Warmup.OfFraction(0.1),
        Client = client ?? ClientPolicy.Patient,
        Seed = (ulong)seed,
    };

    private static double[] Metrics(SimulationResult r) =>
        SimulationMetrics.All.Select(m => m.Read(r) ?? double.NaN).ToArray();

    [Property(MaxTest = 40)]
    public void Same_seed_gives_the_same_result(PositiveInt seed, PositiveInt replicas, PositiveInt load)
    {
        var config = Scenario(seed.Get, 1 + replicas.Get % 8, 1 + load.Get % 20, 400, 1,
            new ClientPolicy { TimeoutMs = 1500, MaxRetries = 2 });

        var first = Simulator.Run(config);
        var second = Simulator.Run(config);

        Assert.Equal(Metrics(first), Metrics(second));
    }

    [Property(MaxTest = 40)]
    public void Different_seeds_give_different_samples(PositiveInt seed)
    {
        var a = Simulator.Run(Scenario(seed.Get, 2, 3, 500, 1));
        var b = Simulator.Run(Scenario(seed.Get + 1, 2, 3, 500, 1));

        Assert.NotEqual(a.LatencyMeanMs, b.LatencyMeanMs);
    }

    [Property(MaxTest = 60)]
    public void More_replicas_never_raise_the_mean_queue_wait(PositiveInt seed, PositiveInt replicas, PositiveInt load, PositiveInt slots)
    {
        var c = 1 + replicas.Get % 10;
        var k = 1 + slots.Get % 3;
        // From well below to well above capacity: the property holds overloaded too.
        var rate = c * k * (0.3 + load.Get % 15 / 10.0);
        var fewer = Simulator.Run(Scenario(seed.Get, c, rate, 1000, k));
        var more = Simulator.Run(Scenario(seed.Get, c + 1, rate, 1000, k));

        Assert.True(more.QueueWaitMeanMs <= fewer.QueueWaitMeanMs * (1 + 1e-9) + 1e-9,
            $"{c + 1} replicas waited {more.QueueWaitMeanMs} ms on average, {c} replicas {fewer.QueueWaitMeanMs} ms.");
    }

    [Property(MaxTest = 60)]
    public void Without_retries_or_timeouts_every_arrival_completes(PositiveInt seed, PositiveInt replicas, PositiveInt load, bool measured, bool autoscale, bool bursty)
    {
        var c = 1 + replicas.Get % 6;
        ServiceTimeModel service = measured
            ? new MeasuredService([new MeasuredPoint(1, 200, 50, 100), new MeasuredPoint(8, 600, 20, 100)])
            : new ExponentialService(800);
        var config = new SimulationConfig
        {
            Arrivals = new RenewalArrivals(0.5 + load.Get % 30, bursty ? 0.3 : 1.0,
                new RateProfile { Burst = new RateBurst(3, 20, 60) }),
            Service = service,
            Replicas = c,
            MaxConcurrencyPerReplica = measured ? 8 : 1,
            Length = RunLength.OfRequests(2_000),
            Autoscaler = autoscale ? new AutoscalerPolicy { FloorReplicas = c, MaxReplicas = c + 5, ColdStartSeconds = 10, ScaleDownIdleSeconds = 30 } : null,
            Seed = (ulong)seed.Get,
        };

        var result = Simulator.Run(config);

        Assert.Equal(result.Arrivals, result.Completed);
        Assert.Equal(0, result.TimedOut + result.Rejected + result.Retries);
        Assert.Equal(2_000, result.Arrivals + result.WarmupRequests);
    }

    [Property(MaxTest = 40)]
    public void Every_arrival_ends_exactly_once_whatever_the_client_does(PositiveInt seed, PositiveInt retries, PositiveInt timeout, bool cancel)
    {
        var client = new ClientPolicy
        {
            TimeoutMs = 200 + timeout.Get % 3000,
            MaxRetries = retries.Get % 4,
            BackoffBaseMs = 100,
            ServerCancelsOnTimeout = cancel,
        };
        var config = Scenario(seed.Get, 3, 4, 800, 1, client) with
        {
            RateLimit = new RateLimitPolicy { RequestsPerMinute = 150 },
            QueueLimit = 20,
        };

        var r = Simulator.Run(config);

        Assert.Equal(r.Arrivals, r.Completed + r.TimedOut + r.Rejected);
        Assert.Equal(r.Attempts, r.Arrivals + r.Retries);
        Assert.InRange(r.Utilization!.Value, 0.0, 1.0);
    }
}

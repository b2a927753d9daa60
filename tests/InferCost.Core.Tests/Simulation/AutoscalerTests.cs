using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Given autoscaling between a floor and a maximum, then replicas follow the load, cold starts are paid
/// for, and idle replicas go back down to the floor.</summary>
public sealed class AutoscalerTests
{
    private static SimulationConfig Scaled(RateProfile? profile, double coldStartSeconds) => new()
    {
        Arrivals = new RenewalArrivals(8, 1, profile),
        Service = new ExponentialService(1000),
        Replicas = 2,
        Length = RunLength.OfDuration(3 * 3600),
        Warmup = Warmup.None,
        Autoscaler = new AutoscalerPolicy { FloorReplicas = 2, MaxReplicas = 30, ColdStartSeconds = coldStartSeconds, ScaleDownIdleSeconds = 120 },
        Seed = 4,
    };

    [Fact]
    public void Replicas_grow_from_the_floor_to_carry_the_load()
    {
        var result = Simulator.Run(Scaled(null, 30));

        Assert.True(result.PeakReplicas > 8, $"peak {result.PeakReplicas}");
        Assert.True(result.PeakReplicas <= 30);
        Assert.InRange(result.MeanReplicas!.Value, 8.0, 30.0);
        Assert.Equal(result.Arrivals, result.Completed);
    }

    [Fact]
    public void Slower_cold_starts_hurt_the_tail()
    {
        var burst = new RateProfile { Burst = new RateBurst(3, 3600, 600) };

        var fast = Simulator.Run(Scaled(burst, 5));
        var slow = Simulator.Run(Scaled(burst, 300));

        Assert.True(slow.QueueWaitP99Ms > fast.QueueWaitP99Ms, $"slow {slow.QueueWaitP99Ms} ms vs fast {fast.QueueWaitP99Ms} ms");
    }

    [Fact]
    public void Idle_replicas_return_to_the_floor_and_stop_costing()
    {
        // Busy for the first hour, then nothing: every replica above the floor is released after 120 s idle.
        var hours = Enumerable.Range(0, 24).Select(h => h == 0 ? 1.0 : 0.0).ToArray();
        var config = Scaled(new RateProfile { HourlyMultipliers = hours }, 30) with
        {
            Length = RunLength.OfDuration(4 * 3600),
        };

        var result = Simulator.Run(config);

        // About 3 hours at the floor of 2 plus the busy hour: far below the peak held throughout.
        Assert.True(result.ReplicaHours < result.PeakReplicas * 2.0, $"{result.ReplicaHours} replica-hours, peak {result.PeakReplicas}");
        Assert.True(result.ReplicaHours >= 2 * 4 * 0.99, "never below the floor");
    }
}

using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

public sealed class ServiceAndArrivalTests
{
    private static readonly MeasuredService Measured = new(
    [
        new MeasuredPoint(8, 900, 20, 400),
        new MeasuredPoint(1, 300, 60, 400),
        new MeasuredPoint(4, 500, 40, 400),
    ], outputTokensCv: 0);

    [Theory]
    [InlineData(1, 300, 60)]
    [InlineData(2, 366.666666666, 53.333333333)] // a third of the way from 1 to 4
    [InlineData(6, 700, 30)]                     // halfway from 4 to 8
    [InlineData(16, 900, 20)]                    // held at the highest measured level
    public void Measured_points_interpolate_linearly_between_concurrency_levels(int concurrency, double ttftMs, double tokensPerSecond)
    {
        var p = Measured.At(concurrency);

        Assert.Equal(ttftMs, p.TtftMs, 6);
        Assert.Equal(tokensPerSecond, p.OutputTokensPerSecond, 6);
    }

    [Fact]
    public void A_replica_slows_as_it_fills()
    {
        // Fixed output length (CV 0): service = TTFT + 400 tokens / speed.
        Assert.Equal(300 + 400 / 60.0 * 1000, Measured.MeanServiceMsAt(1), 6);
        Assert.Equal(900 + 400 / 20.0 * 1000, Measured.MeanServiceMsAt(8), 6);
        var one = Measured.Sample(1.0, 1);
        var full = Measured.Sample(1.0, 8);
        Assert.True(full.ServiceSeconds > one.ServiceSeconds);
        Assert.Equal(0.9, full.FirstTokenSeconds, 9);
    }

    [Fact]
    public void Measured_service_reports_ttft_as_queue_wait_plus_prefill()
    {
        // One request at a time on an idle replica: no queue, so TTFT is the measured TTFT at concurrency 1.
        var config = new SimulationConfig
        {
            Arrivals = new ReplayArrivals([0, 100, 200, 300]),
            Service = Measured,
            Replicas = 1,
            MaxConcurrencyPerReplica = 8,
            Length = RunLength.OfRequests(4),
            Warmup = Warmup.None,
        };

        var result = Simulator.Run(config);

        Assert.Equal(4, result.Completed);
        Assert.Equal(300, result.TtftP99Ms!.Value, 6);
        Assert.Equal(300 + 400 / 60.0 * 1000, result.LatencyP50Ms!.Value, 6);
        Assert.Equal(0, result.WaitProbability);
    }

    [Fact]
    public void Gamma_arrivals_with_shape_below_one_wait_longer_than_poisson()
    {
        SimulationResult Run(double shape) => Simulator.Run(new SimulationConfig
        {
            Arrivals = new RenewalArrivals(8, shape),
            Service = new ExponentialService(1000),
            Replicas = 10,
            Length = RunLength.OfRequests(300_000),
            Seed = 5,
        });

        var poisson = Run(1.0);
        var bursty = Run(0.25);

        Assert.True(bursty.QueueWaitMeanMs > 2 * poisson.QueueWaitMeanMs,
            $"bursty {bursty.QueueWaitMeanMs} ms vs Poisson {poisson.QueueWaitMeanMs} ms");
        // The mean rate is the same either way.
        Assert.InRange(bursty.Utilization!.Value, 0.78, 0.82);
    }

    [Fact]
    public void An_hourly_demand_shape_scales_the_arrivals_of_each_hour()
    {
        var hours = Enumerable.Range(0, 24).Select(h => h is >= 9 and < 17 ? 1.0 : 0.25).ToArray();
        var config = new SimulationConfig
        {
            Arrivals = new RenewalArrivals(2, 1, new RateProfile { HourlyMultipliers = hours }),
            Service = new ExponentialService(500),
            Replicas = 4,
            Length = RunLength.OfDuration(86_400),
            Warmup = Warmup.None,
            Seed = 9,
        };

        var result = Simulator.Run(config);

        var expected = 2 * 3600 * hours.Sum(); // 86,400 arrivals
        Assert.InRange(result.Arrivals, expected * 0.98, expected * 1.02);
    }

    [Fact]
    public void Rate_profile_advance_inverts_the_cumulative_rate()
    {
        var profile = new RateProfile { Burst = new RateBurst(2, 10, 10) };

        Assert.Equal(5, profile.Advance(0, 5), 9);    // before the burst: real time = operational time
        Assert.Equal(15, profile.Advance(5, 15), 9);  // 5 s at ×1, then 10 units in 5 s at ×2
        Assert.Equal(30, profile.Advance(15, 20), 9); // 5 s at ×2 = 10 units, then 10 s at ×1
    }

    [Fact]
    public void The_gamma_sampler_has_the_right_mean_and_variance()
    {
        var rng = new Xoshiro256StarStar(42);
        foreach (var shape in new[] { 0.3, 1.0, 4.0 })
        {
            var n = 200_000;
            double sum = 0, sumSq = 0;
            for (var i = 0; i < n; i++)
            {
                var x = rng.NextGamma(shape);
                sum += x;
                sumSq += x * x;
            }
            var mean = sum / n;
            var variance = sumSq / n - mean * mean;
            Assert.InRange(mean, shape * 0.98, shape * 1.02);
            Assert.InRange(variance, shape * 0.95, shape * 1.05);
        }
    }
}

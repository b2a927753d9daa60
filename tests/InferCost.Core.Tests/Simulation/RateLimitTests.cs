using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Given a provider limit below the offered load, then the limit caps the answered share, and retries
/// honour the retry-after.</summary>
public sealed class RateLimitTests
{
    // 10 requests/s offered, plenty of replicas: only the rate limit refuses anything.
    private static SimulationConfig Offered(RateLimitPolicy limit, ClientPolicy? client = null) => new()
    {
        Arrivals = new RenewalArrivals(10.0),
        Service = new ExponentialService(200),
        Replicas = 50,
        Length = RunLength.OfRequests(200_000),
        RateLimit = limit,
        Client = client ?? ClientPolicy.Patient,
        Seed = 3,
    };

    [Fact]
    public void A_requests_per_minute_limit_at_half_the_load_answers_half()
    {
        // 300 rpm = 5/s against 10/s: over a long run the bucket admits 5/s, so half succeed.
        var result = Simulator.Run(Offered(new RateLimitPolicy { RequestsPerMinute = 300 }));

        Assert.InRange(result.SuccessRate!.Value, 0.49, 0.51);
        Assert.Equal(result.Arrivals - result.Completed, result.Rejected);
        Assert.Equal(result.Rejected, result.Refusals);
    }

    [Fact]
    public void A_tokens_per_minute_limit_binds_by_tokens_per_request()
    {
        // 600,000 tpm at 2,000 tokens a request = 300 requests a minute = 5/s.
        var result = Simulator.Run(Offered(new RateLimitPolicy { TokensPerMinute = 600_000, TokensPerRequest = 2_000 }));

        Assert.InRange(result.SuccessRate!.Value, 0.49, 0.51);
    }

    [Fact]
    public void Retrying_a_429_waits_the_retry_after_and_adds_attempts_not_throughput()
    {
        var once = Simulator.Run(Offered(new RateLimitPolicy { RequestsPerMinute = 300 }));
        var retried = Simulator.Run(Offered(new RateLimitPolicy { RequestsPerMinute = 300 },
            new ClientPolicy { MaxRetries = 5, BackoffBaseMs = 0 }));

        Assert.True(retried.RetriesPerRequest > 1, $"retries per request {retried.RetriesPerRequest}");
        Assert.InRange(retried.SuccessRate!.Value, 0.49, 0.52); // the bucket, not the client, sets throughput
        // Waiting for tokens shows as latency of the answered requests.
        Assert.True(retried.LatencyMeanMs > once.LatencyMeanMs * 1.2, $"mean {retried.LatencyMeanMs} vs {once.LatencyMeanMs} ms");
    }
}

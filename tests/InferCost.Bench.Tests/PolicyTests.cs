using InferCost.Bench.Client;
using InferCost.Bench.Emulator;
using InferCost.Core.Contract;

namespace InferCost.Bench.Tests;

public sealed class PolicyTests
{
    [Theory]
    [InlineData(1, 0.5, 250)]     // u × min(cap, 500 × 2^0)
    [InlineData(3, 0.5, 1000)]    // u × min(cap, 500 × 2^2)
    [InlineData(10, 1.0, 30000)]  // capped
    public void Backoff_is_capped_exponential_with_full_jitter(int attempt, double u, double expectedMs) =>
        Assert.Equal(expectedMs, new RetryPolicy(3).DelayMs(attempt, null, u), 6);

    [Fact]
    public void Retry_after_is_a_floor_with_up_to_ten_percent_jitter()
    {
        var policy = new RetryPolicy(3);
        Assert.Equal(1000, policy.DelayMs(1, 1, 0), 6);
        Assert.Equal(1100, policy.DelayMs(1, 1, 1), 6);
        Assert.Equal(3000, policy.DelayMs(5, 0.5, 0.375), 6); // the backoff (0.375 × 8000) exceeds Retry-After
    }

    [Fact]
    public void Cut_and_malformed_streams_are_not_retried_but_429_5xx_timeouts_and_connection_failures_are()
    {
        Assert.True(RetryPolicy.IsRetryable(ErrorClass.RateLimited));
        Assert.True(RetryPolicy.IsRetryable(ErrorClass.ServerError));
        Assert.True(RetryPolicy.IsRetryable(ErrorClass.Timeout));
        Assert.True(RetryPolicy.IsRetryable(ErrorClass.Connection));
        Assert.False(RetryPolicy.IsRetryable(ErrorClass.StreamCut));
        Assert.False(RetryPolicy.IsRetryable(ErrorClass.Malformed));
        Assert.False(RetryPolicy.IsRetryable(ErrorClass.ClientError));
    }

    [Fact]
    public void A_60_rpm_bucket_admits_one_request_a_second()
    {
        var bucket = new TokenBucket(60);
        Assert.Equal(0, bucket.WaitSeconds(0, 1));
        bucket.Take(0, 1);
        Assert.Equal(0.75, bucket.WaitSeconds(0.25, 1), 9);
        Assert.Equal(0, bucket.WaitSeconds(1.0, 1));
    }

    [Fact]
    public void Prefix_cache_hits_whole_leading_blocks_only()
    {
        var cache = new PrefixCache();
        var first = Enumerable.Range(0, 40).Select(i => (ulong)i).ToArray();
        Assert.Equal(0, cache.LookupAndInsert(first));
        var second = first.Take(20).Concat(Enumerable.Range(100, 20).Select(i => (ulong)i)).ToArray();
        Assert.Equal(16, cache.LookupAndInsert(second)); // block 0 shared, block 1 differs from token 20 on
    }

    [Fact]
    public void Per_token_time_grows_as_the_server_fills()
    {
        var profile = new EmulatorProfile { MsPerToken = 20, MaxConcurrency = 5, BatchSlowdown = 0.5 };
        Assert.Equal(20, profile.MsPerTokenAt(1), 9);
        Assert.Equal(25, profile.MsPerTokenAt(3), 9);  // 20 × (1 + 0.5 × 2/4)
        Assert.Equal(30, profile.MsPerTokenAt(5), 9);
    }

    [Fact]
    public void A_profile_from_rows_interpolates_ttft_and_speed_and_takes_the_spread_and_error_rate()
    {
        TraceRow Row(long concurrency, double ttft, double speed, double p50, double p95) => new()
        {
            Route = Routes.HostedOpenWeightServerless, Provider = "p", Model = "m", Workload = "triage",
            InputTokens = 500, OutputTokens = 100, CacheHitRate = 0, BatchEligible = false, Concurrency = concurrency,
            TtftMs = ttft, LatencyP50Ms = p50, LatencyP95Ms = p95, OutputTokensPerSecond = speed, AcceptedOutputRate = 1,
            CostUsd = null, ReviewMinutes = 0, ErrorRate = 0.02,
        };
        var rows = new[] { Row(1, 200, 50, 2200, 2500), Row(8, 600, 25, 4600, 6000) };

        var profile = ProfileFromRows.Derive(rows, "serverless", "triage", null, new EmulatorProfile(), out var problem)!;

        Assert.Null(problem);
        Assert.Equal(200 + 400 * 3.0 / 7, profile.TtftMsAt(4), 6);
        Assert.Equal(1000.0 / (50 - 25 * 3.0 / 7), profile.MsPerTokenAt(4), 6);
        Assert.Equal(8, profile.MaxConcurrency);
        Assert.Equal(100, profile.OutputTokens);
        Assert.Equal(0.02, profile.FaultRate, 9);
        Assert.Equal((6000.0 / 4600 - 1) / 1.645, profile.Jitter, 9); // the worse spread of the two levels
    }

    [Fact]
    public void A_profile_from_rows_names_what_is_missing()
    {
        Assert.Null(ProfileFromRows.Derive([], "nowhere", "w", null, new EmulatorProfile(), out var problem));
        Assert.Contains("is not one of", problem);
        Assert.Null(ProfileFromRows.Derive([], "managed", "w", null, new EmulatorProfile(), out problem));
        Assert.Contains("no rows for route 'Managed frontier API'", problem);
    }
}

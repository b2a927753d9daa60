using InferCost.Core.Events;
using InferCost.Core.Metrics;

namespace InferCost.Core.Tests.Events;

public sealed class RollupTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    internal static RequestEvent E(string id, double startMs, double latencyMs, EventStatus status = EventStatus.Ok, long? concurrency = 1,
        long input = 100, long cached = 0, long output = 10, double? ttft = null, bool? accepted = null, decimal? cost = null,
        int attempt = 1, string model = "m", string workload = "w") => new()
    {
        RequestId = id, StartedAt = T0.AddMilliseconds(startMs), LatencyMs = latencyMs, Route = "Managed frontier API", Provider = "p",
        Model = model, Workload = workload, InputTokens = input, CachedInputTokens = cached, OutputTokens = output, TtftMs = ttft,
        Status = status, Accepted = accepted, CostUsd = cost, Attempt = attempt, Concurrency = concurrency,
    };

    [Fact]
    public void Percentiles_interpolate_linearly_over_successful_attempts_only()
    {
        // Successful latencies 100..1000 step 100 (n = 10); one error of 50 ms must be ignored.
        var events = Enumerable.Range(1, 10).Select(i => E($"r{i}", i * 10, i * 100.0)).Append(E("x", 0, 50, EventStatus.Error)).ToList();
        var row = Assert.Single(EventRollup.Rollup(events));

        // h = 9·0.5 = 4.5 → 500 + 0.5·100; h = 9·0.95 = 8.55 → 900 + 0.55·100; h = 9·0.99 = 8.91 → 900 + 0.91·100.
        Assert.Equal(550, row.LatencyP50Ms!.Value, 9);
        Assert.Equal(955, row.LatencyP95Ms!.Value, 9);
        Assert.Equal(991, row.LatencyP99Ms!.Value, 9);
        Assert.Equal(11, row.Events);
        Assert.Equal(10, row.Requests);
        Assert.Equal(1.0 / 11, row.ErrorRate, 12);
        Assert.Equal("events", row.PercentileSource);
        Assert.Equal("per-request", row.PercentileBasis["latencyP95Ms"]);
        // 1 failure of 11 attempts is 9% > 5%: the error-adjusted p95 is undefined and says why.
        Assert.Null(row.LatencyP95ErrorAdjustedMs);
        Assert.Contains("above 5%", row.LatencyP95ErrorAdjustedReason);
    }

    [Fact]
    public void Error_adjusted_p95_counts_failures_as_infinitely_slow()
    {
        // 39 successes of 1..39 ms and one timeout: N = 40, h = 39·0.95 = 37.05 → between x37 = 38 and x38 = 39 → 38.05.
        var events = Enumerable.Range(1, 39).Select(i => E($"r{i}", i, i)).Append(E("t", 0, 5000, EventStatus.Timeout)).ToList();
        var row = Assert.Single(EventRollup.Rollup(events));
        Assert.Equal(38.05, row.LatencyP95ErrorAdjustedMs!.Value, 9);
        // Plain p95 over the 39 successes: h = 38·0.95 = 36.1 → 37 + 0.1 = 37.1.
        Assert.Equal(37.1, row.LatencyP95Ms!.Value, 9);
        Assert.Equal(1.0 / 40, row.TimeoutRate, 12);
        Assert.Equal(0, row.ErrorRate);
    }

    [Fact]
    public void Error_adjusted_p95_is_null_when_it_falls_on_a_failure()
    {
        // N = 20 with one failure (exactly 5%): h = 19·0.95 = 18.05 reaches index 19, the failure.
        var events = Enumerable.Range(1, 19).Select(i => E($"r{i}", i, i)).Append(E("f", 0, 1, EventStatus.Error)).ToList();
        var row = Assert.Single(EventRollup.Rollup(events));
        Assert.Null(row.LatencyP95ErrorAdjustedMs);
        Assert.Contains("falls on a failed attempt", row.LatencyP95ErrorAdjustedReason);
    }

    [Fact]
    public void Cache_hit_rate_acceptance_cost_retries_and_tokens_per_second()
    {
        var events = new[]
        {
            E("a", 0, 1100, input: 1000, cached: 600, output: 100, ttft: 100, accepted: true, cost: 0.010m),
            E("b", 0, 2100, input: 3000, cached: 0, output: 300, ttft: 100, accepted: false, cost: 0.030m),
            E("c", 0, 600, input: 1000, cached: 400, output: 50, ttft: 100, accepted: null, cost: 0.005m),
            E("b", 0, 100, EventStatus.RateLimited, input: 0, output: 0, cost: 0.001m, attempt: 2),
        };
        var row = Assert.Single(EventRollup.Rollup(events));

        Assert.Equal(1000.0 / 5000, row.CacheHitRate!.Value, 12);      // Σcached ÷ Σinput over successes
        Assert.Equal(0.5, row.AcceptedOutputRate);                        // 1 of 2 judged
        Assert.Equal(2, row.JudgedOutputs);
        Assert.Equal(Math.Round(0.046m / 3, 9), row.CostUsd);             // every attempt's cost ÷ 3 outputs
        Assert.Equal(1.0 / 3, row.RetryRate!.Value, 12);                  // 1 retry per 3 first attempts
        Assert.Equal(0.25, row.ErrorRate);                                // rate_limited counts as an error
        Assert.Equal(450.0 / ((1000 + 2000 + 500) / 1000.0), row.OutputTokensPerSecond!.Value, 9);
        Assert.Equal(100, row.TtftMs);
        Assert.Equal(5000.0 / 3, row.InputTokens!.Value, 9);
    }

    [Fact]
    public void Concurrency_is_reconstructed_from_intervals_and_bucketed()
    {
        // Hand-made intervals (ms): a [0,100) b [10,50) c [20,30) d [25,200) e [100,110) f [300,300] (zero length)
        // In flight at each start, itself included: a 1; b 2 (a,b); c 3 (a,b,c); d 4 (a,b,c,d);
        // e at 100: started ≤ 100: a,b,c,d,e = 5, ended ≤ 100: b (50), c (30), a (100) = 3 → 2; f alone → 1.
        var starts = new double[] { 0, 10, 20, 25, 100, 300 };
        var ends = new double[] { 100, 50, 30, 200, 110, 300 };
        Assert.Equal(new long[] { 1, 2, 3, 4, 2, 1 }, ConcurrencyReconstruction.InFlight(starts, ends));
        Assert.Equal(new long[] { 1, 2, 4, 4, 2, 1 }, new long[] { 1, 2, 3, 4, 2, 1 }.Select(ConcurrencyReconstruction.Bucket));
        Assert.Equal(8, ConcurrencyReconstruction.Bucket(5));
        Assert.Equal(8, ConcurrencyReconstruction.Bucket(8));
        Assert.Equal(16, ConcurrencyReconstruction.Bucket(9));

        var events = starts.Select((s, i) => E(((char)('a' + i)).ToString(), s, ends[i] - s, concurrency: null)).ToList();
        var rows = EventRollup.Rollup(events);
        Assert.Equal(new long?[] { 1, 2, 4 }, rows.Select(r => r.Concurrency));
        Assert.Equal(new long[] { 2, 2, 2 }, rows.Select(r => r.Events));
        Assert.All(rows, r => Assert.Equal("reconstructed", r.ConcurrencySource));
    }

    [Fact]
    public void Reconstruction_is_per_endpoint_and_logged_concurrency_wins()
    {
        var events = new[]
        {
            E("a", 0, 100, concurrency: null, model: "m1"),
            E("b", 0, 100, concurrency: null, model: "m2"), // overlaps a, but on another model: not in flight with it
            E("c", 50, 100, concurrency: 16, model: "m1"),
        };
        var rows = EventRollup.Rollup(events);
        Assert.Equal(new (string?, long?)[] { ("m1", 1), ("m1", 16), ("m2", 1) }, rows.Select(r => (r.Model, r.Concurrency)));
    }

    [Fact]
    public void Another_grouping_rolls_up_the_same_events_again()
    {
        var events = Enumerable.Range(1, 4).Select(i => E($"r{i}", 0, i * 10, concurrency: i % 2 + 1, workload: i <= 2 ? "w1" : "w2")).ToList();
        var byWorkload = EventRollup.Rollup(events, [GroupDimension.Workload]);
        Assert.Equal(new[] { "w1", "w2" }, byWorkload.Select(r => r.Workload));
        Assert.All(byWorkload, r => Assert.Null(r.Concurrency)); // mixed concurrency in each workload
        Assert.Equal(15, byWorkload[0].LatencyP50Ms);            // 10, 20
        Assert.Equal("m", byWorkload[0].Model);                  // a single value is kept
    }

    [Fact]
    public void A_group_without_successes_has_null_percentiles_with_reasons()
    {
        var row = Assert.Single(EventRollup.Rollup([E("a", 0, 10, EventStatus.Error)]));
        Assert.Null(row.LatencyP95Ms);
        Assert.NotNull(row.LatencyReason);
        Assert.Null(row.CostUsd);
        Assert.Equal("no successful attempt", row.CostReason);
        Assert.Null(row.ToTraceRow());
    }

    [Fact]
    public void A_judged_group_becomes_a_contract_row()
    {
        var row = Assert.Single(EventRollup.Rollup([E("a", 0, 100, accepted: true, cost: 0.5m, ttft: 20)]));
        var trace = row.ToTraceRow()!;
        Assert.Equal(100, trace.LatencyP95Ms);
        Assert.Equal(1, trace.Requests);
        Assert.Equal(1.0, trace.AcceptedOutputRate);
        Assert.Equal(0.5m, trace.CostUsd);
    }
}

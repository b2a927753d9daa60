using InferCost.Core.Metrics;

namespace InferCost.Core.Events;

/// <summary>
/// The reference rollup of request events into contract rows, in memory. The ledger computes the same figures in
/// SQL for large inputs; tests hold the two equal. Pure and deterministic; rows come out sorted by their key.
/// </summary>
public static class EventRollup
{
    public static readonly IReadOnlyList<GroupDimension> DefaultGrouping = GroupDimensions.Default;

    /// <summary>Rolls events up per group of <paramref name="groupBy"/> (default: route, provider, model, workload,
    /// concurrency). Events without a logged concurrency get the reconstructed in-flight bucket.</summary>
    public static IReadOnlyList<RollupRow> Rollup(IEnumerable<RequestEvent> events, IReadOnlyList<GroupDimension>? groupBy = null)
    {
        groupBy ??= DefaultGrouping;
        var list = events as IReadOnlyList<RequestEvent> ?? events.ToList();
        var concurrency = EffectiveConcurrency(list, out var reconstructed);
        var groups = new Dictionary<GroupKey, List<int>>();
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            var key = new GroupKey(
                groupBy.Contains(GroupDimension.Route) ? e.Route : null,
                groupBy.Contains(GroupDimension.Provider) ? e.Provider : null,
                groupBy.Contains(GroupDimension.Model) ? e.Model : null,
                groupBy.Contains(GroupDimension.Workload) ? e.Workload : null,
                groupBy.Contains(GroupDimension.Concurrency) ? concurrency[i] : null);
            if (!groups.TryGetValue(key, out var members))
            {
                groups[key] = members = [];
            }
            members.Add(i);
        }
        return groups
            .Select(g => Row(g.Key, g.Value.Select(i => list[i]).ToList(), g.Value.Select(i => concurrency[i]).ToList(), g.Value.Select(i => reconstructed[i]).ToList()))
            .OrderBy(r => r.Workload, StringComparer.Ordinal)
            .ThenBy(r => r.Route is null ? -1 : Contract.Routes.Order(r.Route))
            .ThenBy(r => r.Provider, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Concurrency)
            .ToList();
    }

    /// <summary>Logged concurrency where given; else the bucket of the in-flight count per endpoint (route, provider, model).</summary>
    public static long[] EffectiveConcurrency(IReadOnlyList<RequestEvent> events, out bool[] reconstructed)
    {
        var result = new long[events.Count];
        reconstructed = new bool[events.Count];
        var missing = false;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Concurrency is { } c)
            {
                result[i] = c;
            }
            else
            {
                missing = true;
            }
        }
        if (!missing)
        {
            return result;
        }
        foreach (var endpoint in Enumerable.Range(0, events.Count).GroupBy(i => (events[i].Route, events[i].Provider, events[i].Model)))
        {
            var members = endpoint.ToList();
            var starts = members.Select(i => EventTime.EpochMs(events[i].StartedAt)).ToList();
            var ends = members.Select((i, k) => starts[k] + events[i].LatencyMs).ToList();
            var inFlight = ConcurrencyReconstruction.InFlight(starts, ends);
            for (var k = 0; k < members.Count; k++)
            {
                var i = members[k];
                if (events[i].Concurrency is null)
                {
                    result[i] = ConcurrencyReconstruction.Bucket(inFlight[k]);
                    reconstructed[i] = true;
                }
            }
        }
        return result;
    }

    private static RollupRow Row(GroupKey key, List<RequestEvent> events, List<long> concurrency, List<bool> reconstructed)
    {
        var ok = events.Where(e => e.Status == EventStatus.Ok).ToList();
        var n = ok.Count;
        var latencies = ok.Select(e => e.LatencyMs).Order().ToArray();
        var ttfts = ok.Where(e => e.TtftMs is not null).Select(e => e.TtftMs!.Value).Order().ToArray();
        var failures = events.Count - n;
        var (adjusted, adjustedReason) = LinearPercentile.ErrorAdjustedP95(latencies, failures);

        double inputSum = ok.Sum(e => (double)e.InputTokens);
        double cachedSum = ok.Sum(e => (double)e.CachedInputTokens);
        var withReasoning = ok.Where(e => e.ReasoningTokens is not null).ToList();

        var streamed = ok.Where(e => e.TtftMs is not null && e.LatencyMs > e.TtftMs).ToList();
        double? tokensPerSecond;
        string basis;
        if (streamed.Count > 0)
        {
            tokensPerSecond = streamed.Sum(e => (double)e.OutputTokens) / (streamed.Sum(e => e.LatencyMs - e.TtftMs!.Value) / 1000.0);
            basis = "Σ output tokens ÷ Σ (latency − TTFT) over streamed successful attempts";
        }
        else
        {
            var timed = ok.Where(e => e.LatencyMs > 0).ToList();
            tokensPerSecond = timed.Count > 0 ? timed.Sum(e => (double)e.OutputTokens) / (timed.Sum(e => e.LatencyMs) / 1000.0) : null;
            basis = "Σ output tokens ÷ Σ latency (no TTFT logged, so end to end)";
        }

        var judged = ok.Where(e => e.Accepted is not null).ToList();
        var okWithoutCost = ok.Count(e => e.CostUsd is null);
        decimal? cost = null;
        string? costReason = null;
        if (n == 0)
        {
            costReason = "no successful attempt";
        }
        else if (okWithoutCost > 0)
        {
            costReason = $"costUsd is missing in {okWithoutCost} of {n} successful attempts (modeled cost needs the price catalog)";
        }
        else
        {
            cost = Math.Round(events.Sum(e => e.CostUsd ?? 0m) / n, 9, MidpointRounding.ToEven);
        }

        var firstAttempts = events.Count(e => e.Attempt <= 1);
        var retries = events.Count - firstAttempts;
        var start = events.Min(e => EventTime.EpochMs(e.StartedAt));
        var end = events.Max(e => EventTime.EpochMs(e.StartedAt) + e.LatencyMs);

        return new RollupRow
        {
            Route = key.Route ?? Single(events.Select(e => e.Route)),
            Provider = key.Provider ?? Single(events.Select(e => e.Provider)),
            Model = key.Model ?? Single(events.Select(e => e.Model)),
            Workload = key.Workload ?? Single(events.Select(e => e.Workload)),
            Concurrency = key.Concurrency ?? (concurrency.Distinct().Count() == 1 ? concurrency[0] : null),
            ConcurrencySource = reconstructed.All(r => r) ? "reconstructed" : reconstructed.Any(r => r) ? "mixed" : "logged",
            Events = events.Count,
            Requests = n,
            Failures = failures,
            InputTokens = n > 0 ? inputSum / n : null,
            CachedInputTokens = n > 0 ? cachedSum / n : null,
            CacheWriteTokens = n > 0 ? ok.Sum(e => (double)e.CacheWriteTokens) / n : null,
            OutputTokens = n > 0 ? ok.Sum(e => (double)e.OutputTokens) / n : null,
            ReasoningTokens = withReasoning.Count > 0 ? withReasoning.Sum(e => (double)e.ReasoningTokens!.Value) / withReasoning.Count : null,
            CacheHitRate = inputSum > 0 ? cachedSum / inputSum : n > 0 ? 0 : null,
            BatchEligible = n > 0 && ok.All(e => e.Batch),
            BatchShare = n > 0 ? (double)ok.Count(e => e.Batch) / n : null,
            TtftMs = ttfts.Length > 0 ? LinearPercentile.Of(ttfts, 0.5) : null,
            TtftP95Ms = ttfts.Length > 0 ? LinearPercentile.Of(ttfts, 0.95) : null,
            LatencyP50Ms = n > 0 ? LinearPercentile.Of(latencies, 0.5) : null,
            LatencyP95Ms = n > 0 ? LinearPercentile.Of(latencies, 0.95) : null,
            LatencyP99Ms = n > 0 ? LinearPercentile.Of(latencies, 0.99) : null,
            LatencyReason = n > 0 ? null : "no successful attempt, so no latency percentiles",
            LatencyP95ErrorAdjustedMs = adjusted,
            LatencyP95ErrorAdjustedReason = adjustedReason,
            OutputTokensPerSecond = tokensPerSecond,
            OutputTokensPerSecondBasis = basis,
            AcceptedOutputRate = judged.Count > 0 ? (double)judged.Count(e => e.Accepted == true) / judged.Count : null,
            JudgedOutputs = judged.Count,
            AcceptanceReason = judged.Count > 0 ? null : "no successful output was judged (import judgements with infercost accept)",
            CostUsd = cost,
            CostReason = costReason,
            ReviewMinutes = n > 0 ? ok.Sum(e => e.ReviewMinutes ?? 0) / n : null,
            RetryRate = firstAttempts > 0 ? (double)retries / firstAttempts : null,
            TimeoutRate = (double)events.Count(e => e.Status == EventStatus.Timeout) / events.Count,
            ErrorRate = (double)events.Count(e => e.Status is EventStatus.Error or EventStatus.RateLimited) / events.Count,
            MeasuredAt = EventTime.FromEpochMs(start),
            WindowSeconds = (end - start) / 1000.0,
        };
    }

    private static string? Single(IEnumerable<string> values)
    {
        string? first = null;
        foreach (var v in values)
        {
            if (first is null)
            {
                first = v;
            }
            else if (!string.Equals(first, v, StringComparison.Ordinal))
            {
                return null;
            }
        }
        return first;
    }
}

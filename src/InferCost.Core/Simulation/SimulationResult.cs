namespace InferCost.Core.Simulation;

/// <summary>What one simulation run measured, over requests that arrived after the warm-up. Counts are requests
/// (a request is the client's unit of work; its attempts are the tries it sent). Latency and TTFT are client-side,
/// from the request's first send to its answer, retries and backoff included; their percentiles rank failed
/// requests (timed out, rejected) above every answer, so a percentile that lands among failures is null, and the
/// means cover completed requests only. Queue waits
/// are server-side, over attempts that started service. Utilization and replica-hours integrate over the measured
/// window (end of warm-up to the last arrival). Percentiles that have no samples are null, with the reason in
/// <see cref="NullReasons"/>. Immutable.</summary>
public sealed record SimulationResult
{
    public required int Replicas { get; init; }
    public required int MaxConcurrencyPerReplica { get; init; }
    public required ulong Seed { get; init; }

    public required long Arrivals { get; init; }
    public required long Completed { get; init; }
    public required long TimedOut { get; init; }
    public required long Rejected { get; init; }
    public required long Attempts { get; init; }
    public required long Retries { get; init; }
    /// <summary>Responses refused by the rate limit (429) or a full queue (503), each a failed attempt.</summary>
    public required long Refusals { get; init; }
    /// <summary>Attempts served to the end after their client had given up: capacity burnt by timeouts.</summary>
    public required long WastedAttempts { get; init; }
    public required double RetriesPerRequest { get; init; }
    /// <summary>Completed over arrivals: the share of requests that got an answer.</summary>
    public required double? SuccessRate { get; init; }

    public required double? WaitProbability { get; init; }
    public required double? QueueWaitMeanMs { get; init; }
    public required double? QueueWaitP50Ms { get; init; }
    public required double? QueueWaitP95Ms { get; init; }
    public required double? QueueWaitP99Ms { get; init; }

    public required double? LatencyMeanMs { get; init; }
    public required double? LatencyP50Ms { get; init; }
    public required double? LatencyP95Ms { get; init; }
    public required double? LatencyP99Ms { get; init; }

    public required double? TtftP50Ms { get; init; }
    public required double? TtftP95Ms { get; init; }
    public required double? TtftP99Ms { get; init; }

    /// <summary>Busy slot-seconds over provisioned slot-seconds (cold-starting replicas count as provisioned).</summary>
    public required double? Utilization { get; init; }
    public required long PeakQueueDepth { get; init; }
    public required double ReplicaHours { get; init; }
    public required double? MeanReplicas { get; init; }
    public required int PeakReplicas { get; init; }

    /// <summary>Simulated time at which the measured window starts (the warm-up's end).</summary>
    public required double WarmupSeconds { get; init; }
    /// <summary>Requests that arrived during the warm-up: simulated, not counted.</summary>
    public required long WarmupRequests { get; init; }
    public required double MeasuredSeconds { get; init; }
    /// <summary>Simulated time when the last request finished (arrivals stop, then the system drains).</summary>
    public required double SimulatedSeconds { get; init; }

    public required PercentileMethod PercentileMethod { get; init; }

    /// <summary>For each metric that is null, why (keyed by its camelCase name).</summary>
    public required IReadOnlyDictionary<string, string> NullReasons { get; init; }

    /// <summary>The value of a named output metric (camelCase, case-insensitive); false for an unknown name.</summary>
    public bool TryGetMetric(string name, out double? value)
    {
        if (SimulationMetrics.Find(name) is { } metric)
        {
            value = metric.Read(this);
            return true;
        }
        value = null;
        return false;
    }
}

/// <summary>A named output metric with its unit, for targets, tables and JSON.</summary>
public sealed record SimulationMetric(string Name, string Unit, Func<SimulationResult, double?> Read);

/// <summary>The output metrics a target can name, in display order.</summary>
public static class SimulationMetrics
{
    public static IReadOnlyList<SimulationMetric> All { get; } =
    [
        new("arrivals", "requests", r => r.Arrivals),
        new("completed", "requests", r => r.Completed),
        new("timedOut", "requests", r => r.TimedOut),
        new("rejected", "requests", r => r.Rejected),
        new("attempts", "attempts", r => r.Attempts),
        new("retries", "attempts", r => r.Retries),
        new("retriesPerRequest", "ratio", r => r.RetriesPerRequest),
        new("successRate", "ratio", r => r.SuccessRate),
        new("refusals", "attempts", r => r.Refusals),
        new("wastedAttempts", "attempts", r => r.WastedAttempts),
        new("waitProbability", "ratio", r => r.WaitProbability),
        new("queueWaitMeanMs", "ms", r => r.QueueWaitMeanMs),
        new("queueWaitP50Ms", "ms", r => r.QueueWaitP50Ms),
        new("queueWaitP95Ms", "ms", r => r.QueueWaitP95Ms),
        new("queueWaitP99Ms", "ms", r => r.QueueWaitP99Ms),
        new("latencyMeanMs", "ms", r => r.LatencyMeanMs),
        new("latencyP50Ms", "ms", r => r.LatencyP50Ms),
        new("latencyP95Ms", "ms", r => r.LatencyP95Ms),
        new("latencyP99Ms", "ms", r => r.LatencyP99Ms),
        new("ttftP50Ms", "ms", r => r.TtftP50Ms),
        new("ttftP95Ms", "ms", r => r.TtftP95Ms),
        new("ttftP99Ms", "ms", r => r.TtftP99Ms),
        new("utilization", "ratio", r => r.Utilization),
        new("peakQueueDepth", "requests", r => r.PeakQueueDepth),
        new("replicaHours", "replica-hours", r => r.ReplicaHours),
        new("meanReplicas", "replicas", r => r.MeanReplicas),
        new("peakReplicas", "replicas", r => r.PeakReplicas),
    ];

    public static SimulationMetric? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}

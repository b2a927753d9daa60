namespace InferCost.Core.Simulation;

/// <summary>How clients behave: give up on an attempt after <see cref="TimeoutMs"/> (measured to the full
/// response; null = wait forever), then retry up to <see cref="MaxRetries"/> times after an exponential backoff
/// with full jitter: attempt k waits uniform(0, min(<see cref="BackoffMaxMs"/>, <see cref="BackoffBaseMs"/>·2^(k−1))).
/// A 429 or a full queue is retried the same way, waiting at least the server's retry-after.
/// When the server does not notice that a client gave up (<see cref="ServerCancelsOnTimeout"/> = false, the usual
/// case behind a load balancer), the abandoned attempt still occupies its queue place and replica: the retry storm.</summary>
public sealed record ClientPolicy
{
    public double? TimeoutMs { get; init; }

    public int MaxRetries { get; init; }

    public double BackoffBaseMs { get; init; } = 500;

    public double BackoffMaxMs { get; init; } = 30_000;

    public bool ServerCancelsOnTimeout { get; init; }

    /// <summary>No timeout, no retries: every request waits for its answer.</summary>
    public static ClientPolicy Patient { get; } = new();

    internal double BackoffSeconds(int retryNumber, ref Xoshiro256StarStar rng)
    {
        var ceilingMs = Math.Min(BackoffMaxMs, BackoffBaseMs * Math.Pow(2, retryNumber - 1));
        return rng.NextDouble() * ceilingMs / 1000.0;
    }
}

/// <summary>A provider's rate limits, as token buckets that hold one minute's allowance and refill continuously:
/// <see cref="RequestsPerMinute"/> requests and <see cref="TokensPerMinute"/> tokens (each request charged
/// <see cref="TokensPerRequest"/>, input plus output). A request over either limit is answered 429 at once with a
/// retry-after of the time until the bucket can take it.</summary>
public sealed record RateLimitPolicy
{
    public double? RequestsPerMinute { get; init; }

    public double? TokensPerMinute { get; init; }

    public double TokensPerRequest { get; init; }
}

/// <summary>Autoscaling between <see cref="FloorReplicas"/> and <see cref="MaxReplicas"/>. A replica is requested
/// whenever more requests wait than the replicas already starting will absorb; it serves after
/// <see cref="ColdStartSeconds"/> (paid from the moment it is requested). A replica idle for
/// <see cref="ScaleDownIdleSeconds"/> is released while more than the floor remain.</summary>
public sealed record AutoscalerPolicy
{
    public required int FloorReplicas { get; init; }

    public required int MaxReplicas { get; init; }

    public double ColdStartSeconds { get; init; } = 60;

    public double ScaleDownIdleSeconds { get; init; } = 300;
}

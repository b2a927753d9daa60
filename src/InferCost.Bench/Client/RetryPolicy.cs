namespace InferCost.Bench.Client;

/// <summary>When and how long to wait before retrying: 429s, 5xx, timeouts and connection failures are retried up to
/// <see cref="MaxRetries"/> times (a cut or malformed stream is not: the output was already partly produced).
/// The wait is capped exponential backoff with full jitter, u × min(cap, base × 2^(k−1)); when the server sent
/// Retry-After, never less than that, plus up to 10 % jitter so clients told the same time do not return together.
/// No wait is longer than <see cref="CapMs"/> (--backoff-max-ms), whatever the server asked: a server that says
/// "come back in an hour" (or gives a date years ahead) would otherwise stall the level, and the run says how often
/// its Retry-After was cut short. Immutable; thread-safe.</summary>
public sealed record RetryPolicy(int MaxRetries, double BaseMs = 500, double CapMs = 30_000)
{
    public static bool IsRetryable(ErrorClass error) =>
        error is ErrorClass.RateLimited or ErrorClass.ServerError or ErrorClass.Timeout or ErrorClass.Connection;

    /// <param name="failedAttempt">The attempt that failed, 1-based.</param>
    /// <param name="retryAfterSeconds">The server's Retry-After, if any.</param>
    /// <param name="uniform">A uniform draw on [0, 1).</param>
    public double DelayMs(int failedAttempt, double? retryAfterSeconds, double uniform) =>
        Delay(failedAttempt, retryAfterSeconds, uniform).Ms;

    /// <summary>The wait, and whether the server's Retry-After asked for more than <see cref="CapMs"/>.</summary>
    public (double Ms, bool RetryAfterCapped) Delay(int failedAttempt, double? retryAfterSeconds, double uniform)
    {
        var exponential = uniform * Math.Min(CapMs, BaseMs * Math.Pow(2, failedAttempt - 1));
        if (retryAfterSeconds is { } seconds)
        {
            var asked = seconds * 1000.0;
            if (!(asked <= CapMs))
            {
                return (CapMs, true);
            }
            return (Math.Min(CapMs, Math.Max(asked * (1 + 0.1 * uniform), exponential)), false);
        }
        return (exponential, false);
    }
}

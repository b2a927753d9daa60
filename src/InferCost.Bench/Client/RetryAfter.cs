using System.Globalization;
using System.Net.Http.Headers;

namespace InferCost.Bench.Client;

/// <summary>Reads how long a server asked the client to wait (RFC 9110 §10.2.3): <c>Retry-After</c> as
/// delta-seconds (<c>120</c>) or as an HTTP-date (<c>Fri, 04 Dec 2026 19:00:00 GMT</c>), or the vendor header
/// <c>retry-after-ms</c> some providers send instead. Pure; thread-safe.</summary>
public static class RetryAfter
{
    /// <summary>Seconds to wait from the moment the response was produced, never negative; null when the response
    /// carries no readable value. An HTTP-date is measured against the response's own <c>Date</c> header when it
    /// has one (both then come from the server's clock, so a skew between the two machines does not count), else
    /// against <paramref name="now"/>. The result can be far larger than any sensible wait (a date years ahead):
    /// the retry policy caps it.</summary>
    public static double? Seconds(RetryConditionHeaderValue? header, DateTimeOffset? serverDate, IEnumerable<string>? retryAfterMs, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return Math.Max(0, delta.TotalSeconds);
        }
        if (header?.Date is { } date)
        {
            return Math.Max(0, (date - (serverDate ?? now)).TotalSeconds);
        }
        if (retryAfterMs?.FirstOrDefault() is { } text
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && double.IsFinite(ms))
        {
            return Math.Max(0, ms / 1000.0);
        }
        return null;
    }

    /// <summary>The same, from a response's headers.</summary>
    public static double? Seconds(HttpResponseHeaders headers, DateTimeOffset now) =>
        Seconds(headers.RetryAfter, headers.Date, headers.TryGetValues("retry-after-ms", out var values) ? values : null, now);
}

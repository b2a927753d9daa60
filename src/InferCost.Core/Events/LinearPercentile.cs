namespace InferCost.Core.Events;

/// <summary>Exact percentiles by linear interpolation between order statistics: numpy's default ("linear") and
/// DuckDB's <c>quantile_cont</c>. With h = (n − 1)·q, the value is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌈h⌉] − x[⌊h⌋]).</summary>
public static class LinearPercentile
{
    /// <param name="sorted">Values in ascending order; at least one.</param>
    /// <param name="quantile">0..1 (0.95 for p95).</param>
    public static double Of(ReadOnlySpan<double> sorted, double quantile)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("needs at least one value", nameof(sorted));
        }
        var h = (sorted.Length - 1) * quantile;
        var lo = (int)Math.Floor(h);
        var hi = (int)Math.Ceiling(h);
        return lo == hi ? sorted[lo] : sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The p95 when every failed attempt counts as infinitely slow: the sorted successes followed by
    /// <paramref name="failures"/> infinities. Null with the reason when failures exceed 5% of attempts, or when
    /// the interpolation would reach a failure.</summary>
    public static (double? Value, string? Reason) ErrorAdjustedP95(ReadOnlySpan<double> sortedSuccesses, long failures)
    {
        var n = sortedSuccesses.Length + failures;
        if (n == 0)
        {
            return (null, "no attempts");
        }
        if (failures > 0.05 * n)
        {
            return (null, $"failures are {failures} of {n} attempts ({100.0 * failures / n:0.##}%), above 5%, so the error-adjusted p95 is unbounded");
        }
        var h = (n - 1) * 0.95;
        var hi = (long)Math.Ceiling(h);
        if (hi >= sortedSuccesses.Length)
        {
            return (null, $"the 95th percentile of {n} attempts falls on a failed attempt, so the error-adjusted p95 is unbounded");
        }
        var lo = (int)Math.Floor(h);
        var value = lo == hi ? sortedSuccesses[lo] : sortedSuccesses[lo] + (h - lo) * (sortedSuccesses[(int)hi] - sortedSuccesses[lo]);
        return (value, null);
    }
}

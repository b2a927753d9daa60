using System.Numerics;

namespace InferCost.Core.Events;

/// <summary>
/// In-flight concurrency from start/end intervals, for logs that do not record it. An attempt's in-flight count is
/// the number of attempts to the same endpoint (route, provider, model) that started at or before its start and had
/// not ended by then, itself included: #starts ≤ s − #ends ≤ s (+1 for a zero-length attempt, which ends where it
/// starts). Counts are bucketed to the next power of two (1, 2, 4, 8, …), so bucket 4 holds 3 or 4 in flight.
/// </summary>
public static class ConcurrencyReconstruction
{
    /// <summary>In-flight counts, one per interval, in input order. Times in ms; ends ≥ starts.</summary>
    public static long[] InFlight(IReadOnlyList<double> startsMs, IReadOnlyList<double> endsMs)
    {
        var starts = startsMs.ToArray();
        var ends = endsMs.ToArray();
        Array.Sort(starts);
        Array.Sort(ends);
        var result = new long[startsMs.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var s = startsMs[i];
            result[i] = CountAtOrBelow(starts, s) - CountAtOrBelow(ends, s) + (endsMs[i] == s ? 1 : 0);
        }
        return result;
    }

    /// <summary>The power-of-two bucket of an in-flight count: 1 → 1, 2 → 2, 3–4 → 4, 5–8 → 8, …</summary>
    public static long Bucket(long inFlight) => inFlight <= 1 ? 1 : (long)BitOperations.RoundUpToPowerOf2((ulong)inFlight);

    private static long CountAtOrBelow(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}

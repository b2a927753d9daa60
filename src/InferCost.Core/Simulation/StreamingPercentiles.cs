namespace InferCost.Core.Simulation;

/// <summary>How a percentile was computed.</summary>
public enum PercentileMethod
{
    /// <summary>Linear interpolation between order statistics of every sample (numpy's default).</summary>
    Exact,
    /// <summary>A log-bucketed sketch: each reported value is within <see cref="StreamingPercentiles.SketchRelativeError"/>
    /// (relative) of an order statistic adjacent to the requested rank, for values at or above
    /// <see cref="StreamingPercentiles.SketchMinimumMs"/>; smaller values read as 0 (absolute error below that bound).</summary>
    Sketch,
}

/// <summary>Percentiles over a stream of non-negative values (milliseconds) with memory independent of stream
/// length: every sample is kept until <c>exactLimit</c> samples, so percentiles are exact; beyond that the samples
/// move into a fixed-size logarithmic sketch (DDSketch-style, relative accuracy
/// <see cref="SketchRelativeError"/>, about 110 KB). Not thread-safe.</summary>
public sealed class StreamingPercentiles
{
    /// <summary>Relative accuracy of the sketch: 0.1 %.</summary>
    public const double SketchRelativeError = 0.001;

    /// <summary>Values below this (1 µs) are counted as zero by the sketch.</summary>
    public const double SketchMinimumMs = 1e-3;

    /// <summary>Values above this (about 11.6 days) are clamped by the sketch.</summary>
    public const double SketchMaximumMs = 1e9;

    private static readonly double Gamma = (1 + SketchRelativeError) / (1 - SketchRelativeError);
    private static readonly double InverseLogGamma = 1.0 / Math.Log(Gamma);
    private static readonly int MinIndex = (int)Math.Ceiling(Math.Log(SketchMinimumMs) * InverseLogGamma);
    private static readonly int MaxIndex = (int)Math.Ceiling(Math.Log(SketchMaximumMs) * InverseLogGamma);

    private readonly int _exactLimit;
    private double[] _samples = new double[1024];
    private long[]? _buckets;
    private long _zeroCount;
    private bool _sorted;

    public StreamingPercentiles(int exactLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exactLimit);
        _exactLimit = exactLimit;
    }

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Max { get; private set; }

    public PercentileMethod Method => _buckets is null ? PercentileMethod.Exact : PercentileMethod.Sketch;

    public double? Mean => Count > 0 ? Sum / Count : null;

    public void Add(double valueMs)
    {
        Count++;
        Sum += valueMs;
        if (valueMs > Max)
        {
            Max = valueMs;
        }
        if (_buckets is null)
        {
            if (Count <= _exactLimit)
            {
                if (Count > _samples.Length)
                {
                    Array.Resize(ref _samples, (int)Math.Min((long)_samples.Length * 2, Math.Max(_exactLimit, 1)));
                }
                _samples[Count - 1] = valueMs;
                _sorted = false;
                return;
            }
            SwitchToSketch();
        }
        AddToSketch(valueMs);
    }

    private void SwitchToSketch()
    {
        _buckets = new long[MaxIndex - MinIndex + 1];
        var held = (int)Math.Min(Count - 1, _samples.Length);
        for (var i = 0; i < held; i++)
        {
            AddToSketch(_samples[i]);
        }
        _samples = [];
    }

    private void AddToSketch(double valueMs)
    {
        if (valueMs < SketchMinimumMs)
        {
            _zeroCount++;
            return;
        }
        var index = (int)Math.Ceiling(Math.Log(Math.Min(valueMs, SketchMaximumMs)) * InverseLogGamma);
        _buckets![Math.Clamp(index, MinIndex, MaxIndex) - MinIndex]++;
    }

    /// <summary>The <paramref name="quantile"/> of a population of <paramref name="populationCount"/> in which the
    /// values added here are the only finite ones and the rest (failures) rank above all of them. Null when the
    /// rank lands among, or interpolates towards, the failures: that percentile is beyond any latency.</summary>
    public double? QuantileWithFailuresAbove(double quantile, long populationCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(populationCount, Count);
        if (populationCount == Count)
        {
            return Quantile(quantile);
        }
        var h = (populationCount - 1) * quantile;
        var lo = (long)Math.Floor(h);
        if (lo >= Count || (lo == Count - 1 && h > lo))
        {
            return null;
        }
        // The rank falls among the finite values, so it is their quantile at the same rank.
        return Count == 1 ? Quantile(0) : Quantile(h / (Count - 1));
    }

    /// <summary>The <paramref name="quantile"/> (0..1) of the values, or null when there are none.</summary>
    public double? Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1.0);
        if (Count == 0)
        {
            return null;
        }
        if (_buckets is null)
        {
            var n = (int)Count;
            if (!_sorted)
            {
                Array.Sort(_samples, 0, n);
                _sorted = true;
            }
            return Percentiles.Interpolate(_samples.AsSpan(0, n), quantile);
        }
        // The order statistic at the lower rank; the sketch cannot interpolate inside a bucket anyway.
        var rank = (long)Math.Floor(quantile * (Count - 1));
        if (rank < _zeroCount)
        {
            return 0.0;
        }
        var seen = _zeroCount;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen > rank)
            {
                var index = i + MinIndex;
                return 2.0 * Math.Pow(Gamma, index) / (Gamma + 1.0);
            }
        }
        return Max;
    }
}

/// <summary>Exact percentiles of a sorted sample.</summary>
public static class Percentiles
{
    /// <summary>Linear interpolation between order statistics (numpy's default, DuckDB's quantile_cont):
    /// h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). <paramref name="sorted"/> must be ascending
    /// and non-empty.</summary>
    public static double Interpolate(ReadOnlySpan<double> sorted, double quantile)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }
        var h = (sorted.Length - 1) * quantile;
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1)
        {
            return sorted[^1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}

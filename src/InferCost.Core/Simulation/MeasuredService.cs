namespace InferCost.Core.Simulation;

/// <summary>One measured operating point of a route/model/workload: at <see cref="Concurrency"/> streams per
/// replica, time to first token <see cref="TtftMs"/>, decode speed <see cref="OutputTokensPerSecond"/> per stream,
/// and <see cref="OutputTokens"/> per output on average. Trace Kit rows carry exactly these fields.</summary>
public sealed record MeasuredPoint(int Concurrency, double TtftMs, double OutputTokensPerSecond, double OutputTokens);

/// <summary>Service time from measured points, as continuous batching behaves: a request that starts on a replica
/// serving n streams (itself included) takes TTFT(n) + tokens / tokensPerSecond(n), with TTFT, per-stream speed and
/// mean output tokens interpolated linearly between the measured concurrency levels and held at the end points
/// beyond them. The request's output length is gamma distributed around the interpolated mean with coefficient of
/// variation <see cref="OutputTokensCv"/> (0 = every output has the mean length; 1 = exponential lengths).
/// The speed is fixed when service starts: later joiners do not slow a request already running (stated as an
/// assumption in the output).</summary>
public sealed record MeasuredService : ServiceTimeModel
{
    private readonly MeasuredPoint[] _points;
    private readonly double _shape;

    public MeasuredService(IReadOnlyList<MeasuredPoint> points, double outputTokensCv = 1.0)
    {
        if (points.Count == 0)
        {
            throw new ArgumentException("At least one measured point is needed.", nameof(points));
        }
        _points = points.OrderBy(p => p.Concurrency).ToArray();
        OutputTokensCv = outputTokensCv;
        _shape = outputTokensCv > 0 ? 1.0 / (outputTokensCv * outputTokensCv) : 0.0;
    }

    /// <summary>The points, sorted by concurrency.</summary>
    public IReadOnlyList<MeasuredPoint> Points => _points;

    public double OutputTokensCv { get; }

    /// <summary>The highest measured concurrency: the natural per-replica concurrency limit.</summary>
    public int MaxMeasuredConcurrency => _points[^1].Concurrency;

    public override bool HasFirstToken => true;

    public override double MeanServiceMsAt(int concurrency)
    {
        var p = At(concurrency);
        return p.TtftMs + p.OutputTokens / p.OutputTokensPerSecond * 1000.0;
    }

    /// <summary>The operating point at <paramref name="concurrency"/>, interpolated linearly between measured
    /// levels and clamped to the nearest end beyond them.</summary>
    public MeasuredPoint At(int concurrency)
    {
        if (concurrency <= _points[0].Concurrency)
        {
            return _points[0] with { Concurrency = concurrency };
        }
        if (concurrency >= _points[^1].Concurrency)
        {
            return _points[^1] with { Concurrency = concurrency };
        }
        var hi = 1;
        while (_points[hi].Concurrency < concurrency)
        {
            hi++;
        }
        var a = _points[hi - 1];
        var b = _points[hi];
        if (b.Concurrency == concurrency)
        {
            return b;
        }
        var f = (double)(concurrency - a.Concurrency) / (b.Concurrency - a.Concurrency);
        return new MeasuredPoint(
            concurrency,
            Lerp(a.TtftMs, b.TtftMs, f),
            Lerp(a.OutputTokensPerSecond, b.OutputTokensPerSecond, f),
            Lerp(a.OutputTokens, b.OutputTokens, f));
    }

    private static double Lerp(double a, double b, double f) => a + (b - a) * f;

    /// <summary>The request's output length relative to the mean (mean 1).</summary>
    internal override double DrawUnit(ref Xoshiro256StarStar rng) =>
        _shape > 0 ? rng.NextGamma(_shape) / _shape : 1.0;

    internal override ServiceSample Sample(double unit, int concurrency)
    {
        var p = At(concurrency);
        var ttftSeconds = p.TtftMs / 1000.0;
        var decodeSeconds = unit * p.OutputTokens / p.OutputTokensPerSecond;
        return new ServiceSample(ttftSeconds + decodeSeconds, ttftSeconds);
    }
}

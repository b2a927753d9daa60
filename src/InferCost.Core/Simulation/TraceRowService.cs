using InferCost.Core.Metrics;

namespace InferCost.Core.Simulation;

/// <summary>A measured service built from trace rows (or request events) of one route/model/workload: the points
/// the simulator serves with, and what they came from.</summary>
/// <param name="Label">"route · provider · model" of the rows.</param>
/// <param name="AcceptedOutputRate">Request-weighted acceptance of the rows used.</param>
public sealed record TraceRowService(MeasuredService Service, string Label, double AcceptedOutputRate);

/// <summary>Why no measured service could be built from the groups given.</summary>
public enum TraceRowServiceProblem
{
    None,
    /// <summary>No group has a concurrency and a per-stream output speed.</summary>
    NoMeasuredRows,
    /// <summary>The groups measure more than one model; the caller must name one.</summary>
    SeveralModels,
}

/// <summary>Turns metrics groups (one per concurrency level, as grouped by route, provider, model, workload and
/// concurrency) into a <see cref="MeasuredService"/>: one point per measured concurrency, TTFT, per-stream output
/// speed and output tokens from the group's request-weighted means. Pure.</summary>
public static class TraceRowServices
{
    /// <summary>The service of <paramref name="groups"/>, or null with the problem (and, for
    /// <see cref="TraceRowServiceProblem.SeveralModels"/>, the models found in <paramref name="models"/>).</summary>
    /// <param name="outputTokensCv">The output-length variation to use; null calibrates it to the measured p95 at the
    /// highest concurrency (<see cref="CalibratedOutputTokensCv"/>).</param>
    public static TraceRowService? Build(IReadOnlyList<GroupMetrics> groups, double? outputTokensCv, out TraceRowServiceProblem problem, out IReadOnlyList<string> models)
    {
        problem = TraceRowServiceProblem.None;
        var usable = groups.Where(g => g.Concurrency is > 0 && g.OutputTokensPerSecond > 0).ToList();
        models = usable.Select(g => g.Model ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (usable.Count == 0)
        {
            problem = TraceRowServiceProblem.NoMeasuredRows;
            return null;
        }
        if (models.Count > 1)
        {
            problem = TraceRowServiceProblem.SeveralModels;
            return null;
        }
        // Several providers at one concurrency: the slowest tail is the one to plan capacity on.
        var points = usable.GroupBy(g => g.Concurrency!.Value)
            .Select(c => c.OrderByDescending(g => g.LatencyP95Ms).First())
            .Select(g => new MeasuredPoint((int)g.Concurrency!.Value, g.TtftMs, g.OutputTokensPerSecond, g.OutputTokens))
            .ToList();
        var top = usable.OrderByDescending(g => g.Concurrency).ThenByDescending(g => g.LatencyP95Ms).First();
        var cv = outputTokensCv ?? CalibratedOutputTokensCv(top.TtftMs, top.OutputTokens / top.OutputTokensPerSecond * 1000.0, top.LatencyP95Ms);
        // Groups whose acceptance nobody judged do not count towards it; with none judged the service carries 0 (no cost per accepted output).
        var judged = usable.Where(g => g.AcceptedOutputRate is not null).ToList();
        var acceptance = judged.Count == 0 ? 0 : judged.Sum(g => g.AcceptedOutputRate!.Value * (g.Requests ?? 1)) / judged.Sum(g => (double)(g.Requests ?? 1));
        var first = usable[0];
        return new TraceRowService(new MeasuredService(points, cv), $"{first.Route} · {first.Provider} · {first.Model}", acceptance);
    }

    /// <summary>The output-length variation that makes the simulated service p95 at the highest measured concurrency
    /// match the measured p95 there: a benchmark at fixed concurrency has no queue, so its p95 is the service p95.
    /// The gamma quantile uses the Wilson–Hilferty approximation, p95 ≈ mean·(1 − cv²/9 + 1.645·cv/3)³; the result is
    /// clamped to [0, 1] (1 = exponential lengths, the simulator's default).</summary>
    public static double CalibratedOutputTokensCv(double ttftMs, double meanDecodeMs, double p95Ms)
    {
        if (meanDecodeMs <= 0)
        {
            return 1.0;
        }
        var ratio = (p95Ms - ttftMs) / meanDecodeMs;
        static double P95OverMean(double cv) => Math.Pow(1 - cv * cv / 9 + 1.6448536269514722 * cv / 3, 3);
        if (ratio <= 1)
        {
            return 0.0;
        }
        if (ratio >= P95OverMean(1))
        {
            return 1.0;
        }
        double lo = 0, hi = 1;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (P95OverMean(mid) < ratio) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }
}

using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Simulation;

namespace InferCost.Bench.Emulator;

/// <summary>Derives an emulator profile from measured contract rows of one route and workload (and model, when
/// the rows hold several): TTFT, per-stream decode speed and output length per concurrency level (interpolated
/// between levels, as <see cref="MeasuredService"/> does); the concurrency limit is the highest measured level;
/// the fault rate is the request-weighted errorRate when rows give it; and the per-request jitter is chosen so the
/// latency spread matches the rows' p95 ÷ p50 (a gamma factor with coefficient of variation (p95/p50 − 1) ÷ 1.645,
/// the normal approximation of the 95th percentile).</summary>
public static class ProfileFromRows
{
    public static EmulatorProfile? Derive(IReadOnlyList<TraceRow> rows, string route, string workload, string? model,
        EmulatorProfile baseProfile, out string? problem)
    {
        problem = null;
        if (!Routes.TryNormalize(route, out var canonical))
        {
            problem = $"the route '{route}' is not one of: {string.Join(", ", Routes.All)}";
            return null;
        }
        var matching = rows.Where(r => r.Route == canonical
                && string.Equals(r.Workload, workload, StringComparison.OrdinalIgnoreCase)
                && (model is null || string.Equals(r.Model, model, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (matching.Count == 0)
        {
            problem = $"no rows for route '{canonical}' and workload '{workload}'" + (model is null ? "" : $" and model '{model}'");
            return null;
        }
        var models = matching.Select(r => r.Model).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (models.Count > 1)
        {
            problem = $"the rows for route '{canonical}' and workload '{workload}' hold several models ({string.Join(", ", models)}); pick one with --model";
            return null;
        }
        var points = new List<MeasuredPoint>();
        var spreads = new List<(double Ratio, double Weight)>();
        foreach (var level in matching.GroupBy(r => r.Concurrency).OrderBy(g => g.Key))
        {
            var weight = level.Sum(r => r.Weight);
            double Mean(Func<TraceRow, double> f) => level.Sum(r => f(r) * r.Weight) / weight;
            var speed = Mean(r => r.OutputTokensPerSecond);
            if (speed <= 0)
            {
                problem = $"the rows at concurrency {level.Key.ToString(CultureInfo.InvariantCulture)} have no output speed (outputTokensPerSecond is 0)";
                return null;
            }
            points.Add(new MeasuredPoint((int)level.Key, Mean(r => r.TtftMs), speed, Mean(r => r.OutputTokens)));
            // The spread within a level: percentiles are not averaged, the worst row's ratio is kept.
            var ratio = level.Max(r => r.LatencyP50Ms > 0 ? r.LatencyP95Ms / r.LatencyP50Ms : 1.0);
            spreads.Add((ratio, weight));
        }
        var totalWeight = matching.Sum(r => r.Weight);
        var errorRate = matching.Any(r => r.ErrorRate is not null)
            ? matching.Sum(r => (r.ErrorRate ?? 0) * r.Weight) / totalWeight
            : (double?)null;
        var spread = spreads.Max(s => s.Ratio);
        var service = new MeasuredService(points, outputTokensCv: 0);
        return baseProfile with
        {
            Measured = service,
            MaxConcurrency = baseProfile.MaxConcurrency > 0 ? baseProfile.MaxConcurrency : service.MaxMeasuredConcurrency,
            OutputTokens = Math.Max(1, (int)Math.Round(points[0].OutputTokens)),
            Jitter = baseProfile.Jitter > 0 ? baseProfile.Jitter : Math.Max(0, (spread - 1) / 1.645),
            FaultRate = baseProfile.FaultRate > 0 ? baseProfile.FaultRate : errorRate ?? 0,
            Source = $"{matching.Count.ToString(CultureInfo.InvariantCulture)} measured rows of {canonical} / {workload} / {models[0]}" +
                $" at concurrency {string.Join(", ", points.Select(p => p.Concurrency.ToString(CultureInfo.InvariantCulture)))}",
        };
    }
}

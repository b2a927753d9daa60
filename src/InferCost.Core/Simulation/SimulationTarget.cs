using System.Globalization;

namespace InferCost.Core.Simulation;

public enum TargetComparison
{
    AtMost,
    AtLeast,
}

/// <summary>A service-level target on one output metric, such as <c>latencyP95Ms&lt;=8000</c>. Immutable.</summary>
public sealed record SimulationTarget(string Metric, TargetComparison Comparison, double Threshold)
{
    /// <summary>Parses <c>metric&lt;=value</c> or <c>metric&gt;=value</c> (invariant culture; metric names as in
    /// <see cref="SimulationMetrics"/>, case-insensitive). Returns null and a one-sentence error on failure.</summary>
    public static SimulationTarget? TryParse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        var at = trimmed.IndexOf("<=", StringComparison.Ordinal);
        var comparison = TargetComparison.AtMost;
        if (at < 0)
        {
            at = trimmed.IndexOf(">=", StringComparison.Ordinal);
            comparison = TargetComparison.AtLeast;
        }
        if (at <= 0)
        {
            error = $"The target '{text}' must look like metric<=value or metric>=value, e.g. latencyP95Ms<=8000.";
            return null;
        }
        var name = trimmed[..at].Trim();
        var valueText = trimmed[(at + 2)..].Trim();
        if (SimulationMetrics.Find(name) is not { } metric)
        {
            error = $"The target names an unknown metric '{name}'; known metrics: {string.Join(", ", SimulationMetrics.All.Select(m => m.Name))}.";
            return null;
        }
        if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !double.IsFinite(threshold))
        {
            error = $"The target value '{valueText}' is not a number (use a point for decimals, e.g. 0.95).";
            return null;
        }
        return new SimulationTarget(metric.Name, comparison, threshold);
    }

    /// <summary>True when the result's metric meets the target; a null metric (no samples) never does.</summary>
    public bool IsMetBy(SimulationResult result) =>
        result.TryGetMetric(Metric, out var value) && value is { } v
        && (Comparison == TargetComparison.AtMost ? v <= Threshold : v >= Threshold);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Metric}{(Comparison == TargetComparison.AtMost ? "<=" : ">=")}{Threshold}");
}

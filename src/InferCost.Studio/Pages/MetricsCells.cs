using InferCost.Core.Formatting;
using InferCost.Core.Metrics;

namespace InferCost.Studio.Pages;

/// <summary>Encoded table cells for metric values: intervals, small-sample marks, null reasons.</summary>
internal static class MetricsCells
{
    public static string Cost(GroupMetrics g) => g.CostPerAcceptedOutputUsd is null
        ? "<span class=\"null\">n/a: " + Html.E(g.CostReason) + "</span>"
        : Html.E(Fmt.Usd(g.CostPerAcceptedOutputUsd));

    public static string CostInterval(GroupMetrics g) => g.CostPerAcceptedOutputInterval is { } i
        ? Html.E($"{Fmt.Usd(i.Low)} – {(i.High is null ? "unbounded" : Fmt.Usd(i.High))}")
        : "<span class=\"null\">" + Html.E(g.IntervalReason ?? "—") + "</span>";

    public static string Acceptance(GroupMetrics g) => g.AcceptedOutputRateInterval is { } i
        ? Html.E($"{Fmt.Share(g.AcceptedOutputRate)} ({Fmt.Share(i.Low)} – {Fmt.Share(i.High)})")
        : Html.E(Fmt.Share(g.AcceptedOutputRate));

    /// <summary>p95, marked "✗ … above T" when it misses its workload's target <paramref name="target"/> (such a row cannot win).</summary>
    public static string P95(GroupMetrics g, double? target = null) =>
        (target is { } t && g.LatencyP95Ms > t ? $"<span class=\"flag\">✗ above {Html.E(Fmt.Ms(t))}</span> " : string.Empty) +
        Html.E(Fmt.Ms(g.LatencyP95Ms) + (g.PercentileSource == "row-max" ? " (worst row)" : string.Empty));

    /// <summary>The p95 target of a group's workload, from the headlines.</summary>
    public static double? TargetOf(IEnumerable<WorkloadHeadline> headlines, GroupMetrics g) =>
        headlines.FirstOrDefault(h => h.Workload == g.Workload)?.TargetP95Ms;

    public static string Outputs(GroupMetrics g) =>
        Html.E(Fmt.Integer(g.Requests)) + (g.SmallSample == true ? " <span class=\"flag\">small sample</span>" : string.Empty);

    public static string Target(WorkloadHeadline w) =>
        Html.E(w.TargetP95Ms is { } t ? $"{Fmt.Ms(t)} ({w.TargetSource})" : "none");
}

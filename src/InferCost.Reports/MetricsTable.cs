using InferCost.Core.Formatting;
using InferCost.Core.Metrics;

namespace InferCost.Reports;

/// <summary>The human-readable metrics table: fixed-width text, headline per workload first.</summary>
public static class MetricsTable
{
    public static void Write(TextWriter o, MetricsResult result)
    {
        o.WriteLine($"Cost per accepted output at target p95 latency (reviewer time at ${result.Assumptions.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)}/h)");
        o.WriteLine();
        foreach (var w in result.Workloads)
        {
            var target = w.TargetP95Ms is { } t ? $"p95 target {Fmt.Ms(t)} ({w.TargetSource})" : "no p95 target";
            o.WriteLine($"{w.Workload}: {target}; batch displacement share {Fmt.Share(w.BatchDisplacementShare)}");
            if (w.Best is { } b)
            {
                var settled = "ranking " + w.Ranking;
                var saving = w.SavingVsRunnerUpShare is { } s ? $", {Fmt.Share(s)} cheaper than {w.RunnerUp!.Label}" : string.Empty;
                o.WriteLine($"  best: {b.Label} at {Fmt.Usd(b.CostPerAcceptedOutputUsd)} per accepted output, p95 {Fmt.Ms(b.LatencyP95Ms)}{saving}; {settled}");
            }
            else
            {
                o.WriteLine($"  best: none — {w.Reason}");
            }
        }
        if (result.Workloads.Count > 0)
        {
            o.WriteLine();
        }
        var header = $"{"workload",-26} {"route",-30} {"model",-26} {"conc",5} {"cost/accepted",14} {"95% interval",23} {"accept",7} {"p95",14} {"cache",6} {"headroom tok/s",15} {"batch",6} {"retry",6} {"util",6} {"n",8}";
        o.WriteLine(header);
        o.WriteLine(new string('-', header.Length));
        foreach (var g in result.Groups)
        {
            var interval = g.CostPerAcceptedOutputInterval is { } i ? $"{Fmt.Usd(i.Low)}–{(i.High is null ? "∞" : Fmt.Usd(i.High))}" : "—";
            var cost = g.CostPerAcceptedOutputUsd is null ? "null*" : Fmt.Usd(g.CostPerAcceptedOutputUsd) + CostSourceMark(g.CostSource);
            var target = result.Workloads.FirstOrDefault(w => w.Workload == g.Workload)?.TargetP95Ms;
            var p95 = (target is { } t && g.LatencyP95Ms > t ? "✗ " : "") + Fmt.Ms(g.LatencyP95Ms) + (g.PercentileSource == "row-max" ? "^" : string.Empty);
            var n = Fmt.Integer(g.Requests) + (g.SmallSample == true ? " !" : string.Empty);
            o.WriteLine($"{Clip(g.Workload, 26),-26} {Clip(g.Route, 30),-30} {Clip(g.Model, 26),-26} {Fmt.Integer(g.Concurrency),5} {cost,14} {interval,23} {Fmt.Share(g.AcceptedOutputRate),7} {p95,14} {Fmt.Share(g.CacheHitRate),6} {Fmt.Number(g.ThroughputHeadroomTokensPerSecond),15} {Fmt.Share(g.BatchEligibleShare),6} {Fmt.Number(g.RetryRate, "0.##"),6} {Fmt.Share(g.Utilization),6} {n,8}");
        }
        o.WriteLine();
        foreach (var g in result.Groups.Where(g => g.CostReason is not null))
        {
            o.WriteLine($"* {g.Label}: cost per accepted output is null: {g.CostReason}.");
        }
        foreach (var warning in result.PriceGapWarnings)
        {
            o.WriteLine($"? {warning.Sentence}");
        }
        if (result.Groups.Any(g => result.Workloads.FirstOrDefault(w => w.Workload == g.Workload)?.TargetP95Ms is { } t && g.LatencyP95Ms > t))
        {
            o.WriteLine("✗ p95 above the workload's target: the row cannot win that workload.");
        }
        o.WriteLine("^ p95 of a group of several rows is its worst row's p95 (percentiles are never averaged).  ! fewer than 30 outputs measured: small sample.");
        if (result.Groups.Any(g => g.CostSource != "observed"))
        {
            o.WriteLine("m cost modeled from the price catalog (no costUsd in the rows).  mx partly modeled (mixed).");
        }
    }

    private static string CostSourceMark(string costSource) => costSource switch
    {
        "modeled" => " m",
        "mixed" => " mx",
        _ => string.Empty,
    };

    private static string Clip(string? text, int width) => text is null ? "—" : text.Length <= width ? text : text[..(width - 1)] + "…";
}

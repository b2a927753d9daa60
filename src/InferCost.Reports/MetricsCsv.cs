using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Writing;

namespace InferCost.Reports;

/// <summary>One CSV line per group; undefined values are empty cells with the reason in <c>costReason</c>.</summary>
public static class MetricsCsv
{
    private static readonly string[] Header =
    [
        "workload", "route", "provider", "model", "concurrency", "rows", "requests",
        "costPerAcceptedOutputUsd", "costPerAcceptedOutputLowUsd", "costPerAcceptedOutputHighUsd", "modelCostPerAcceptedOutputUsd", "costReason",
        "acceptedOutputRate", "acceptedOutputRateLow", "acceptedOutputRateHigh", "latencyP50Ms", "latencyP95Ms", "latencyP99Ms", "percentileSource",
        "cacheHitRate", "inputTokens", "cacheAdjustedInputTokens", "throughputHeadroomTokensPerSecond", "batchEligibleShare",
        "retryRate", "utilization", "fallbackRoute", "smallSample",
        "costSource", "modeledCostPerOutputUsd", "observedVsModeledGapShare", "observedVsModeledGapFlagged",
    ];

    public static void Write(TextWriter writer, MetricsResult result)
    {
        writer.Write(string.Join(",", Header) + "\n");
        foreach (var g in result.Groups)
        {
            string[] cells =
            [
                g.Workload ?? "", g.Route ?? "", g.Provider ?? "", g.Model ?? "", Fmt.Raw(g.Concurrency), Fmt.Raw(g.Rows), Fmt.Raw(g.Requests),
                Fmt.Raw(g.CostPerAcceptedOutputUsd), Fmt.Raw(g.CostPerAcceptedOutputInterval?.Low), Fmt.Raw(g.CostPerAcceptedOutputInterval?.High),
                Fmt.Raw(g.ModelCostPerAcceptedOutputUsd), g.CostReason ?? "",
                Fmt.Raw(g.AcceptedOutputRate), Fmt.Raw(g.AcceptedOutputRateInterval?.Low), Fmt.Raw(g.AcceptedOutputRateInterval?.High),
                Fmt.Raw(g.LatencyP50Ms), Fmt.Raw(g.LatencyP95Ms), Fmt.Raw(g.LatencyP99Ms), g.PercentileSource,
                Fmt.Raw(g.CacheHitRate), Fmt.Raw(g.InputTokens), Fmt.Raw(g.CacheAdjustedInputTokens), Fmt.Raw(g.ThroughputHeadroomTokensPerSecond),
                Fmt.Raw(g.BatchEligibleShare), Fmt.Raw(g.RetryRate), Fmt.Raw(g.Utilization), g.FallbackRoute ?? "",
                Bool(g.SmallSample),
                g.CostSource, Fmt.Raw(g.ModeledCostPerOutputUsd), Fmt.Raw(g.ObservedVsModeledGapShare), Bool(g.ObservedVsModeledGapFlagged),
            ];
            writer.Write(string.Join(",", cells.Select(c => CsvCell(c))) + "\n");
        }
    }

    private static string Bool(bool? value) => value is { } b ? (b ? "true" : "false") : "";

    /// <summary>Quotes per RFC 4180 and neutralises spreadsheet formulas (a cell starting =, +, -, @ gets a leading ').</summary>
    public static string CsvCell(string cell)
    {
        var safe = cell.Length > 0 && cell[0] is '=' or '+' or '@' || (cell.StartsWith('-') && !double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            ? "'" + cell
            : cell;
        return TraceCsvWriter.Quote(safe);
    }
}

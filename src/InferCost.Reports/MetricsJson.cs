using InferCost.Core.Metrics;
using InferCost.Core.Reporting;

namespace InferCost.Reports;

/// <summary>The <c>infercost.metrics/v1</c> document: what <c>infercost metrics --format json</c> prints and
/// what Studio's <c>GET /api/metrics</c> answers, built in one place so the two never drift.</summary>
public static class MetricsJson
{
    public const string Schema = "infercost.metrics/v1";

    public static object Document(MetricsResult result, IReadOnlyList<ReportInput> inputs) =>
        new { schema = Schema, result.Assumptions, inputs, result.Groups, result.Workloads, result.PriceGapWarnings };
}

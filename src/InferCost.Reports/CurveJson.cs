using InferCost.Core.Curves;
using InferCost.Core.Reporting;

namespace InferCost.Reports;

/// <summary>The <c>infercost.curve/v1</c> document: what <c>infercost curve --format json</c> prints and Studio's
/// <c>GET /api/curve</c> answers.</summary>
public static class CurveJson
{
    public static object Document(CostCurve curve, IReadOnlyList<ReportInput> inputs) => new
    {
        curve.Schema, curve.Workload, curve.Assumptions, inputs, curve.PerTokenRoutes, curve.CapacityRoutes, curve.Omitted,
        curve.Points, curve.BreakEvens, curve.Sensitivity, curve.MostSensitiveDriver,
    };
}

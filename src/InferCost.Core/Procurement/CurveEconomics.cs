using InferCost.Core.Curves;
using static System.FormattableString;

namespace InferCost.Core.Procurement;

/// <summary>Reads <see cref="CapacityEconomics"/> off a workload's cost curve (issue 4's price catalog and curves):
/// the cheapest per-token route and the capacity route's break-even utilization against it. Replicas and the
/// monthly cost are filled in by the calculator from the simulated replica count. Pure.</summary>
public static class CurveEconomics
{
    /// <summary>Null when the curve does not price <paramref name="capacityRoute"/> from measurements (no measured row
    /// or hardware for it). A route estimated from fit's decode ceiling is not evidence a gate may pass or fail on.</summary>
    public static CapacityEconomics? From(CostCurve curve, string capacityRoute)
    {
        var route = curve.CapacityRoutes.FirstOrDefault(c => c.Route == capacityRoute && !c.Estimate);
        if (route is null)
        {
            return null;
        }
        var perToken = Curves.RouteEconomics.CheapestPerTokenRoute(curve);
        var peak = curve.Assumptions.PeakFactor;
        // One replica until the simulated count is known (the calculator re-asks at that count).
        var breakEven = perToken is null ? null : route.BreakEvenUtilizationAt(perToken.CostPerAcceptedOutputUsd, 1);
        var point = perToken is null ? null : route.BreakEvenPoint(perToken.CostPerAcceptedOutputUsd, peak);
        var missing = new List<string>();
        if (perToken is null)
        {
            missing.Add("a priced per-token route (managed API or serverless) measured on this workload");
        }
        string? never = perToken is null ? null
            : breakEven is null ? Invariant($"its review cost alone, {route.ReviewCostPerAcceptedOutputUsd:0.####} USD per accepted output, is at least the per-token route's {perToken.CostPerAcceptedOutputUsd:0.####} USD")
            : point is null ? Invariant($"even fully used, a replica ({route.ReplicaUsdPerMonth:0.##} USD a month for {route.AcceptedOutputsPerSecondPerReplica:0.###} accepted outputs/s) costs more per accepted output than the per-token route's {perToken.CostPerAcceptedOutputUsd:0.####} USD, at any number of replicas")
            : null;
        return new CapacityEconomics
        {
            Workload = curve.Workload,
            PerTokenRoute = perToken?.Group,
            PerTokenCostPerAcceptedOutputUsd = perToken?.CostPerAcceptedOutputUsd,
            PerTokenReviewIncluded = true,
            PerTokenSource = perToken is null ? null : $"cost curve: {perToken.CostSource}, review included" + (perToken.PriceSources.Count > 0 ? $" ({string.Join("; ", perToken.PriceSources)})" : ""),
            UsdPerReplicaHour = route.GpuCount * route.UsdPerGpuHour,
            PriceSource = Invariant($"cost curve: {route.GpuCount} × {route.GpuType} at {route.UsdPerGpuHour} USD per GPU-hour ({route.HourlyPriceSource}); {route.Basis}"),
            BreakEvenUtilization = never is null && breakEven <= 1 ? breakEven : null,
            BreakEvenSource = never is not null ? null : Invariant($"cost curve: monthly cost of the replicas (+ operations) ÷ (accepted outputs they serve per month at full use, {route.AcceptedOutputsPerSecondPerReplica:0.###}/s per replica × (per-token cost − review per accepted output)), against {perToken!.Group}"),
            NoBreakEvenReason = never,
            BreakEvenReplicas = point?.Replicas,
            BreakEvenMonthlyAcceptedOutputs = never is null ? route.BreakEvenMonthlyAcceptedOutputs(perToken!.CostPerAcceptedOutputUsd, peak) : null,
            BreakEvenUtilizationAtReplicas = perToken is null || never is not null ? null : n => route.BreakEvenUtilizationAt(perToken.CostPerAcceptedOutputUsd, n),
            MonthlyCostOfReplicas = route.MonthlyCostUsd,
            Missing = missing,
        };
    }
}

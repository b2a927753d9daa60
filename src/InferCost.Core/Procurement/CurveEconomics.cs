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
        var breakEven = Curves.RouteEconomics.BreakEvenUtilization(curve, capacityRoute);
        var missing = new List<string>();
        if (perToken is null)
        {
            missing.Add("a priced per-token route (managed API or serverless) measured on this workload");
        }
        string? never = perToken is not null && breakEven is null
            ? Invariant($"its review cost alone, {route.ReviewCostPerAcceptedOutputUsd:0.####} USD per accepted output, is at least the per-token route's {perToken.CostPerAcceptedOutputUsd:0.####} USD")
            : null;
        return new CapacityEconomics
        {
            Workload = curve.Workload,
            PerTokenRoute = perToken?.Group,
            PerTokenCostPerAcceptedOutputUsd = perToken?.CostPerAcceptedOutputUsd,
            PerTokenSource = perToken is null ? null : $"cost curve: {perToken.CostSource}, review included" + (perToken.PriceSources.Count > 0 ? $" ({string.Join("; ", perToken.PriceSources)})" : ""),
            UsdPerReplicaHour = route.GpuCount * route.UsdPerGpuHour,
            PriceSource = Invariant($"cost curve: {route.GpuCount} × {route.GpuType} at {route.UsdPerGpuHour} USD per GPU-hour ({route.HourlyPriceSource}); {route.Basis}"),
            BreakEvenUtilization = breakEven,
            BreakEvenSource = breakEven is null ? null : Invariant($"cost curve: monthly cost of one replica ÷ (accepted outputs it serves per month at full use, {route.AcceptedOutputsPerSecondPerReplica:0.###}/s × (per-token cost − review per accepted output)), against {perToken!.Group}"),
            NoBreakEvenReason = never,
            MonthlyCostOfReplicas = route.MonthlyCostUsd,
            Missing = missing,
        };
    }
}

namespace InferCost.Core.Curves;

/// <summary>A capacity route sized for a given demand.</summary>
public sealed record CapacityRouteAtDemand(string Route, long Replicas, decimal MonthlyCostUsd, decimal CostPerAcceptedOutputUsd, CapacityRouteModel Model);

/// <summary>The route economics other features (the procurement matrix) ask of a workload's <see cref="CostCurve"/>.
/// Pure and thread-safe.</summary>
public static class RouteEconomics
{
    /// <summary>The per-token route (managed API or serverless) with the lowest cost per accepted output, or null
    /// when the workload has none priced.</summary>
    public static PerTokenRouteModel? CheapestPerTokenRoute(CostCurve curve) =>
        curve.PerTokenRoutes.OrderBy(p => p.CostPerAcceptedOutputUsd).FirstOrDefault();

    /// <summary>Each capacity route's replicas, monthly cost and cost per accepted output at
    /// <paramref name="monthlyAcceptedOutputs"/>, under the curve's demand shape.</summary>
    public static IReadOnlyList<CapacityRouteAtDemand> CapacityRoutesAt(CostCurve curve, double monthlyAcceptedOutputs)
    {
        if (monthlyAcceptedOutputs <= 0 || !double.IsFinite(monthlyAcceptedOutputs))
        {
            throw new ArgumentOutOfRangeException(nameof(monthlyAcceptedOutputs), monthlyAcceptedOutputs, "the demand must be a positive number of accepted outputs per month");
        }
        var peak = curve.Assumptions.PeakFactor;
        return curve.CapacityRoutes.Select(c =>
        {
            var replicas = c.Replicas(monthlyAcceptedOutputs, peak);
            return new CapacityRouteAtDemand(c.Route, replicas, c.MonthlyCostUsd(replicas), c.CostPerAcceptedOutputUsd(monthlyAcceptedOutputs, peak), c);
        }).ToList();
    }

}

namespace InferCost.Core.Simulation;

/// <summary>What one replica costs per hour, and where the figure comes from. Today the CLI builds it from
/// <c>--usd-per-replica-hour</c>; the price catalog will build it from a dated GPU-hour entry times the GPUs per
/// replica, with the entry as <see cref="Source"/>.</summary>
public sealed record ReplicaHourPrice(decimal UsdPerReplicaHour, string Source);

/// <summary>The cost of a simulated run: replica-hours over the measured window times the price.</summary>
public sealed record SimulationCostEstimate(
    decimal CostUsd,
    decimal? CostPerCompletedRequestUsd,
    decimal UsdPerReplicaHour,
    string Source);

public static class SimulationCost
{
    public static SimulationCostEstimate For(SimulationResult result, ReplicaHourPrice price)
    {
        var cost = (decimal)result.ReplicaHours * price.UsdPerReplicaHour;
        return new SimulationCostEstimate(
            decimal.Round(cost, 6),
            result.Completed > 0 ? decimal.Round(cost / result.Completed, 8) : null,
            price.UsdPerReplicaHour,
            price.Source);
    }
}

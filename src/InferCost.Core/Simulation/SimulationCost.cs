namespace InferCost.Core.Simulation;

/// <summary>What one replica costs per hour, and where the figure comes from: a price given directly, or a GPU-hour
/// price (the price catalog's dated offer, or the rows' gpuHourUsd) times the GPUs per replica
/// (<see cref="ReplicaHourPricing"/>).</summary>
public sealed record ReplicaHourPrice(decimal UsdPerReplicaHour, string Source)
{
    /// <summary>The GPU a replica runs on, when the price was built from a GPU-hour price.</summary>
    public string? GpuType { get; init; }
    public int? GpuCount { get; init; }
    public decimal? UsdPerGpuHour { get; init; }
    /// <summary>The price catalog's offer behind the price; null when it came from elsewhere.</summary>
    public Pricing.GpuOffer? CatalogOffer { get; init; }
}

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

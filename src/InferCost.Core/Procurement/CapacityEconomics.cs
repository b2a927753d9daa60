namespace InferCost.Core.Procurement;

/// <summary>The economics the utilization and fallback gates compare, with where each figure came from. Supplied
/// by the price catalog and cost curves where they have an answer, else estimated from the traces and the profile's
/// GPU-hour quote (<see cref="CapacityEconomicsEstimator"/>). Every member may be null: the gate then names it as missing.
/// Immutable.</summary>
public sealed record CapacityEconomics
{
    public required string Workload { get; init; }

    /// <summary>The cheapest per-token route (managed or serverless) that meets the target, as route · provider · model.</summary>
    public string? PerTokenRoute { get; init; }
    /// <summary>Its model cost per accepted output (no review), USD.</summary>
    public decimal? PerTokenCostPerAcceptedOutputUsd { get; init; }
    public string? PerTokenSource { get; init; }

    public decimal? UsdPerReplicaHour { get; init; }
    public string? PriceSource { get; init; }

    /// <summary>Replicas the capacity route reserves (the simulated minimum at the peak).</summary>
    public int? CapacityReplicas { get; init; }
    /// <summary>Replicas × replica-hour price × 730 hours: the reserved capacity's month.</summary>
    public decimal? CapacityMonthlyCostUsd { get; init; }

    /// <summary>The utilization (0..1, may exceed 1 when break-even is out of reach) at which the capacity route's
    /// cost per accepted output equals the per-token route's.</summary>
    public double? BreakEvenUtilization { get; init; }
    public string? BreakEvenSource { get; init; }
    /// <summary>Set when the capacity route cannot match the per-token route at any utilization, with why.</summary>
    public string? NoBreakEvenReason { get; init; }

    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>The monthly cost of a number of replicas, when the source prices more than replicas × hours (fixed
    /// operations); the calculator uses it with the simulated replica count. Not serialized.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<long, decimal>? MonthlyCostOfReplicas { get; init; }
}

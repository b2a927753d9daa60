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
    /// <summary>Its cost per accepted output, USD: review included (as the headline ranks) when
    /// <see cref="PerTokenReviewIncluded"/>, else model cost only.</summary>
    public decimal? PerTokenCostPerAcceptedOutputUsd { get; init; }
    public string? PerTokenSource { get; init; }
    /// <summary>Whether <see cref="PerTokenCostPerAcceptedOutputUsd"/> includes review time, as the headline's cost per accepted output does.</summary>
    public bool PerTokenReviewIncluded { get; init; }

    public decimal? UsdPerReplicaHour { get; init; }
    public string? PriceSource { get; init; }

    /// <summary>Replicas the capacity route reserves (the simulated minimum at the peak).</summary>
    public int? CapacityReplicas { get; init; }
    /// <summary>Replicas × replica-hour price × 730 hours: the reserved capacity's month.</summary>
    public decimal? CapacityMonthlyCostUsd { get; init; }

    /// <summary>The average utilization (0..1, never above) at which the capacity route's replicas (the simulated count
    /// once known) cost per accepted output what the per-token route does; null when those replicas cannot break even
    /// however busy (<see cref="BreakEvenReplicas"/> then says how many would) or it never breaks even.</summary>
    public double? BreakEvenUtilization { get; init; }
    /// <summary>The fewest replicas at which the route breaks even (fixed operations spread over more replicas), with
    /// the monthly accepted outputs where it does; null when it never does or the source cannot say.</summary>
    public long? BreakEvenReplicas { get; init; }
    public double? BreakEvenMonthlyAcceptedOutputs { get; init; }
    /// <summary>The break-even utilization at a number of replicas, possibly above 1 (then they cannot break even); the
    /// calculator asks it at the simulated count. Not serialized.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<long, double?>? BreakEvenUtilizationAtReplicas { get; init; }
    public string? BreakEvenSource { get; init; }
    /// <summary>Set when the capacity route cannot match the per-token route at any utilization, with why.</summary>
    public string? NoBreakEvenReason { get; init; }

    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>The monthly cost of a number of replicas, when the source prices more than replicas × hours (fixed
    /// operations); the calculator uses it with the simulated replica count. Not serialized.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<long, decimal>? MonthlyCostOfReplicas { get; init; }
}

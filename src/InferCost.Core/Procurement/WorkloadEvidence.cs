using InferCost.Core.Fit;
using InferCost.Core.Metrics;

namespace InferCost.Core.Procurement;

/// <summary>Everything known about one workload, gathered once and read by the gates, readiness and stages.</summary>
internal sealed record WorkloadEvidence
{
    public required string Workload { get; init; }
    public required WorkloadProfile? Profile { get; init; }
    public required BuyerProfile Buyer { get; init; }
    public required IReadOnlyList<GroupMetrics> Groups { get; init; }
    public required WorkloadHeadline? Headline { get; init; }
    public required decimal ReviewerUsdPerHour { get; init; }
    public required double? TargetP95Ms { get; init; }
    public required string TargetSource { get; init; }
    public required HourlyDemand? Demand { get; init; }
    public required DemandClassification? Shape { get; init; }
    public required IReadOnlyList<GroupMetrics> CapacityGroups { get; init; }
    public required CapacityService? CapacityService { get; init; }
    public required string? CapacityServiceReason { get; init; }
    /// <summary>The capacity model's replica of the planned route: GPUs per replica and the sessions they hold.</summary>
    public InferCost.Core.Sizing.ReplicaShape? Replica { get; init; }
    public required CapacitySizing? Sizing { get; init; }
    public required CapacityEconomics? Economics { get; init; }
    public required FitResult? Fit { get; init; }
    public required int? FitSessionsPerReplica { get; init; }
    public required IReadOnlyList<string> FitMissing { get; init; }
}

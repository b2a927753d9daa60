using System.Text.Json.Serialization;

namespace InferCost.Core.Procurement;

public enum GateStatus
{
    Pass,
    Warn,
    Fail,
    InsufficientEvidence,
}

public static class GateStatuses
{
    /// <summary>The status as printed and in JSON: pass, warn, fail, insufficient-evidence.</summary>
    public static string Name(GateStatus status) => status switch
    {
        GateStatus.Pass => "pass",
        GateStatus.Warn => "warn",
        GateStatus.Fail => "fail",
        _ => "insufficient-evidence",
    };
}

/// <summary>One number or fact a gate used, and where it came from.</summary>
public sealed record EvidenceItem(string Item, string Value, string Source);

/// <summary>A gate evaluated for one workload. <see cref="Value"/> and <see cref="Threshold"/> are the numbers the
/// status turned on (units in <see cref="Unit"/>), null when the gate had no number to compare.</summary>
public sealed record GateResult
{
    public required string Workload { get; init; }
    public required string Gate { get; init; }
    public required string BuyerQuestion { get; init; }
    [JsonIgnore]
    public required GateStatus Status { get; init; }
    [JsonPropertyName("status")]
    public string StatusName => GateStatuses.Name(Status);
    /// <summary>One sentence: what decided the status.</summary>
    public required string Finding { get; init; }
    public double? Value { get; init; }
    public double? Threshold { get; init; }
    public string? Unit { get; init; }
    public required IReadOnlyList<EvidenceItem> Evidence { get; init; }
    public required IReadOnlyList<string> Missing { get; init; }
    /// <summary>The seed's failure-if-skipped text, when the gate did not pass.</summary>
    public string? FailureIfSkipped { get; init; }
}

/// <summary>A readiness dimension scored 0–100 by <see cref="Formula"/>; the seed's example score for comparison.</summary>
public sealed record ReadinessResult(string Dimension, int Score, string Formula, string Note, IReadOnlyList<string> Missing, int SeedExampleScore);

/// <summary>The route stage to take now for one workload, and what moves it one stage on.</summary>
public sealed record StageRecommendation
{
    public required string Workload { get; init; }
    /// <summary>0 (Managed API only) to 4 (Owned hardware).</summary>
    public required int StageIndex { get; init; }
    public required string Route { get; init; }
    public required string Stage { get; init; }
    public required string Owner { get; init; }
    public required string Why { get; init; }
    /// <summary>The stage after this one, null at the last stage.</summary>
    public string? NextRoute { get; init; }
    /// <summary>The gate that blocks the next stage (null when evidence or an avoid-when condition blocks it instead).</summary>
    public string? BlockingGate { get; init; }
    public string? BlockingGateStatus { get; init; }
    /// <summary>The exact evidence to collect to move one stage on.</summary>
    public required IReadOnlyList<string> NextEvidence { get; init; }
    /// <summary>Each stage checked: whether it qualified and why not.</summary>
    public required IReadOnlyList<StageCheck> Stages { get; init; }
}

public sealed record StageCheck(string Route, bool Qualifies, IReadOnlyList<string> MissingEvidence, IReadOnlyList<string> GatesNotMet, IReadOnlyList<string> AvoidWhen);

/// <summary>The simulated size of the capacity route for one workload (issue 6's capacity questions).</summary>
public sealed record CapacitySizing
{
    public required string Workload { get; init; }
    public required string Source { get; init; }
    public required double PeakRequestsPerSecond { get; init; }
    public required double TargetP95Ms { get; init; }
    public required int MaxConcurrencyPerReplica { get; init; }
    public int? MinReplicas { get; init; }
    public string? NotFoundReason { get; init; }
    public double? P95AtMinReplicasMs { get; init; }
    /// <summary>Busy slots over provisioned slots over a simulated day of the workload's demand, at the minimum replicas.</summary>
    public double? ProjectedUtilization { get; init; }
    public double? DayP95Ms { get; init; }
    public double? PeakQueueDepth { get; init; }
    public RetryStormOutcome? RetryStorm { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>The capacity model's replica the simulation served with: GPUs per replica and the sessions fit says
    /// it holds (which cap <see cref="MaxConcurrencyPerReplica"/>), each with its source.</summary>
    public Sizing.ReplicaShape? Replica { get; init; }
}

/// <summary>p95 under a 2× burst for ten minutes with clients that time out and retry.</summary>
public sealed record RetryStormOutcome(
    double BurstFactor, double BurstSeconds, double TimeoutMs, int MaxRetries, string ClientSource,
    double? LatencyP95Ms, string? LatencyP95NullReason, double? SuccessRate, double RetriesPerRequest, long TimedOut);

/// <summary>Everything the matrix found for one workload besides the gates.</summary>
public sealed record WorkloadProcurement
{
    public required string Workload { get; init; }
    public required bool InProfile { get; init; }
    public required bool InTraces { get; init; }
    public double? TargetP95Ms { get; init; }
    public required string TargetSource { get; init; }
    public string? DemandSource { get; init; }
    public DemandClassification? Demand { get; init; }
    public CapacitySizing? Capacity { get; init; }
    public CapacityEconomics? Economics { get; init; }
}

/// <summary>The hardware procurement matrix: gates, readiness and a stage per workload. Renderers only lay it out.</summary>
public sealed record ProcurementMatrix
{
    public string Schema { get; init; } = "infercost.procurement/v1";
    public required string Title { get; init; }
    public required string Purpose { get; init; }
    public required string Principle { get; init; }
    public required string ProfileSource { get; init; }
    public required IReadOnlyList<string> Assumptions { get; init; }
    public required IReadOnlyList<WorkloadProcurement> Workloads { get; init; }
    public required IReadOnlyList<GateResult> Gates { get; init; }
    public required IReadOnlyList<ReadinessResult> Readiness { get; init; }
    public required IReadOnlyList<StageRecommendation> Recommendations { get; init; }
}

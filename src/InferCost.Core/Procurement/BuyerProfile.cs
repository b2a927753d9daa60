namespace InferCost.Core.Procurement;

/// <summary>The buyer's profile (profile.yaml): what traces cannot say. Every member is optional; a missing one is
/// reported as insufficient evidence, never guessed. Immutable.</summary>
public sealed record BuyerProfile
{
    public IReadOnlyList<WorkloadProfile> Workloads { get; init; } = [];
    public CapacityPlan? Capacity { get; init; }
    public OperationsEvidence? Operations { get; init; }
    public FallbackPlan? Fallback { get; init; }
    public ProcurementEvidence? Procurement { get; init; }

    public static BuyerProfile Empty { get; } = new();
}

/// <summary>One workload as the buyer describes it. <see cref="Name"/> matches the traces' workload.</summary>
public sealed record WorkloadProfile
{
    public required string Name { get; init; }
    public double? TargetP95Ms { get; init; }
    /// <summary>Share of requests that can wait for a batch/offline lane, 0..1.</summary>
    public double? BatchableShare { get; init; }
    /// <summary>Most requests in flight at once at the busiest moment.</summary>
    public int? ConcurrencyPeak { get; init; }
    /// <summary>Requests per hour for hours 0..23 (a typical day), given inline.</summary>
    public IReadOnlyList<double>? DemandRequestsPerHour { get; init; }
    /// <summary>A file of 24 hourly counts (read by the caller; Core does no I/O).</summary>
    public string? DemandFile { get; init; }
    /// <summary>How many days of traffic the hourly counts summarise (the dedicated stage asks for seven).</summary>
    public int? DemandDays { get; init; }
}

/// <summary>The capacity the buyer plans to reserve or own.</summary>
public sealed record CapacityPlan
{
    /// <summary>Canonical route name (Dedicated endpoint, Self-hosted GPU stack or Owned hardware).</summary>
    public string? Route { get; init; }
    /// <summary>A model of the model catalog, for the memory fit.</summary>
    public string? Model { get; init; }
    /// <summary>The model name in the traces measured on this route (default: every model on the route).</summary>
    public string? TraceModel { get; init; }
    /// <summary>Weight precision (quantization plan): bf16, fp16, fp8, int8 or int4.</summary>
    public string? Weights { get; init; }
    public string? Gpu { get; init; }
    /// <summary>GPUs per replica (tensor-parallel).</summary>
    public int? GpuCount { get; init; }
    public long? ContextTokens { get; init; }
    /// <summary>Concurrent sessions per replica that must fit at the context.</summary>
    public int? Batch { get; init; }
    /// <summary>The buyer's own quote for one GPU-hour, USD; else the price catalog supplies it.</summary>
    public decimal? UsdPerGpuHour { get; init; }
}

public enum SecurityReviewStatus
{
    NotStarted,
    InProgress,
    Passed,
    Failed,
}

/// <summary>The five ownership items of the operations-maturity gate.</summary>
public sealed record OperationsEvidence
{
    public string? RunbookOwner { get; init; }
    public string? MonitoringPlan { get; init; }
    public string? RollbackRoute { get; init; }
    public string? ModelUpgradePolicy { get; init; }
    public SecurityReviewStatus? SecurityReview { get; init; }
}

/// <summary>How clients retry: the timeout per attempt and the retries after it.</summary>
public sealed record RetryPolicy(double? TimeoutMs, int? MaxRetries);

/// <summary>Where hard or failed cases go.</summary>
public sealed record FallbackPlan
{
    /// <summary>Canonical route name of the fallback.</summary>
    public string? Route { get; init; }
    public string? Model { get; init; }
    /// <summary>The rule that sends a case to the fallback, in the buyer's words.</summary>
    public string? RoutingThreshold { get; init; }
    public RetryPolicy? RetryPolicy { get; init; }
    /// <summary>Expected share of cases escalated to the fallback, 0..1.</summary>
    public double? ExpectedShare { get; init; }
    /// <summary>Review minutes per fallback output (overrides the traces' figure for the fallback route).</summary>
    public double? ReviewMinutes { get; init; }
}

public enum DataResidency
{
    None,
    RegionPinned,
    PrivateBoundary,
}

/// <summary>What the procurement office needs, and the owned-hardware plan.</summary>
public sealed record ProcurementEvidence
{
    public DataResidency? DataResidency { get; init; }
    public string? VendorSupport { get; init; }
    public int? BudgetHorizonMonths { get; init; }
    public int? DemandForecastMonths { get; init; }
    public int? DepreciationMonths { get; init; }
    public string? PowerPlan { get; init; }
}

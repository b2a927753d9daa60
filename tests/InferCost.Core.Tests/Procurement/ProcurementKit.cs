using InferCost.Core.Metrics;
using InferCost.Core.Procurement;

namespace InferCost.Core.Tests.Procurement;

/// <summary>Hand-made trace groups and profiles for the procurement tests.</summary>
internal static class ProcurementKit
{
    public const string Managed = "Managed frontier API";
    public const string Serverless = "Hosted open-weight serverless";
    public const string SelfHosted = "Self-hosted GPU stack";

    /// <summary>One trace row as a group aggregate (weight = requests).</summary>
    public static GroupAggregate Row(string route, string model, string workload, long concurrency,
        double ttftMs, double p95Ms, double tokensPerSecond, double outputTokens, double acceptance, decimal cost, double reviewMinutes,
        long requests = 400, double? p99Ms = null, double? utilization = null, string? fallbackRoute = null, double? retryRate = 0.02, bool batch = false)
    {
        double w = requests;
        static WeightedSum Sum(double? v, double w) => v is { } x ? new WeightedSum(x * w, w) : new WeightedSum(0, 0);
        return new GroupAggregate
        {
            Key = new GroupKey(route, "provider", model, workload, concurrency),
            Rows = 1,
            Weight = w,
            Requests = requests,
            WeightedInputTokens = 2000 * w,
            WeightedUncachedInputTokens = 2000 * w,
            WeightedOutputTokens = outputTokens * w,
            WeightedAcceptedOutputRate = acceptance * w,
            WeightedReviewMinutes = reviewMinutes * w,
            WeightedCostUsd = cost * (decimal)w,
            RowsWithoutCost = 0,
            WeightedBatchEligible = batch ? w : 0,
            WeightedThroughputHeadroom = tokensPerSecond * concurrency * acceptance * w,
            WeightedOutputTokensPerSecond = tokensPerSecond * w,
            MaxTtftMs = ttftMs,
            MaxLatencyP50Ms = p95Ms / 2,
            MaxLatencyP95Ms = p95Ms,
            MaxLatencyP99Ms = p99Ms,
            RowsWithP99 = p99Ms is null ? 0 : 1,
            RetryRate = Sum(retryRate, w),
            TimeoutRate = new WeightedSum(0, 0),
            ErrorRate = new WeightedSum(0, 0),
            Utilization = Sum(utilization, w),
            FallbackShare = new WeightedSum(0, 0),
            FallbackRoutes = fallbackRoute is null ? [] : [fallbackRoute],
            MinTargetP95Ms = null,
            MaxTargetP95Ms = null,
            RowsWithCacheHits = 0,
            RowsWithMeasuredAt = 0,
            RowsWithGpuType = 0,
        };
    }

    /// <summary>A workload measured on a managed API, a serverless model and a self-hosted stack at 8, 16 and 32 streams.</summary>
    public static List<GroupAggregate> Traces(string workload) =>
    [
        Row(Managed, "frontier-mini", workload, 8, 500, 5000, 90, 300, 0.9, 0.01m, 0.8),
        Row(Serverless, "open-70b", workload, 8, 400, 6000, 80, 300, 0.85, 0.004m, 0.5, fallbackRoute: Managed),
        Row(SelfHosted, "llama-70b-fp8", workload, 8, 300, 9000, 90, 300, 0.88, 0.002m, 0.3, p99Ms: 12000, utilization: 0.7, fallbackRoute: Managed),
        Row(SelfHosted, "llama-70b-fp8", workload, 16, 400, 11000, 75, 300, 0.88, 0.002m, 0.3, p99Ms: 15000, utilization: 0.7, fallbackRoute: Managed),
        Row(SelfHosted, "llama-70b-fp8", workload, 32, 500, 16000, 60, 300, 0.88, 0.002m, 0.3, p99Ms: 21000, utilization: 0.7, fallbackRoute: Managed),
    ];

    public static MetricsResult Metrics(IEnumerable<GroupAggregate> rows) => MetricsCalculator.Compute(rows, new MetricsOptions());

    /// <summary>10 requests per second on average, ±10% over the day: steady and high-volume.</summary>
    public static double[] SteadyDemand() =>
        Enumerable.Range(0, 24).Select(h => 36_000 * (1 + 0.1 * Math.Sin(h * Math.PI / 12))).ToArray();

    /// <summary>Eight busy hours of 30 requests, sixteen idle: bursty and low-volume.</summary>
    public static double[] BurstyDemand() =>
        Enumerable.Range(0, 24).Select(h => h is >= 9 and < 17 ? 30.0 : 0.0).ToArray();

    public static CapacityPlan Capacity { get; } = new()
    {
        Route = SelfHosted,
        Model = "Llama-3.1-70B",
        TraceModel = "llama-70b-fp8",
        Weights = "fp8",
        Gpu = "H100",
        GpuCount = 4,
        ContextTokens = 8192,
        Batch = 32,
        UsdPerGpuHour = 2.5m,
    };

    public static OperationsEvidence FullOperations { get; } = new()
    {
        RunbookOwner = "platform team",
        MonitoringPlan = "Prometheus + on-call",
        RollbackRoute = Managed,
        ModelUpgradePolicy = "quarterly, eval-gated",
        SecurityReview = SecurityReviewStatus.Passed,
    };

    public static FallbackPlan FullFallback { get; } = new()
    {
        Route = Managed,
        Model = "frontier-mini",
        RoutingThreshold = "evaluator score below 0.7",
        RetryPolicy = new RetryPolicy(40_000, 2),
        ExpectedShare = 0.15,
        ReviewMinutes = 0.8,
    };

    /// <summary>Everything but the owned-hardware power plan.</summary>
    public static ProcurementEvidence FullProcurement { get; } = new()
    {
        DataResidency = DataResidency.RegionPinned,
        VendorSupport = "vendor gold support",
        BudgetHorizonMonths = 24,
        DemandForecastMonths = 6,
        DepreciationMonths = 36,
    };

    public static BuyerProfile FullProfile(string workload, double[] demand, double targetP95Ms = 20_000) => new()
    {
        Workloads =
        [
            new WorkloadProfile
            {
                Name = workload, TargetP95Ms = targetP95Ms, BatchableShare = 0.05, ConcurrencyPeak = 96,
                DemandRequestsPerHour = demand, DemandDays = 7,
            },
        ],
        Capacity = Capacity,
        Operations = FullOperations,
        Fallback = FullFallback,
        Procurement = FullProcurement,
    };

    public static ProcurementMatrix Compute(BuyerProfile profile, IEnumerable<GroupAggregate> rows) =>
        ProcurementCalculator.Compute(new ProcurementInputs { Profile = profile, ProfileSource = "test", Metrics = Metrics(rows) });

    public static GateResult Gate(ProcurementMatrix m, string workload, string gate) => m.Gates.Single(g => g.Workload == workload && g.Gate == gate);
}

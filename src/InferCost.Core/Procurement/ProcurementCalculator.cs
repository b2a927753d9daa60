using InferCost.Core.Contract;
using InferCost.Core.Curves;
using InferCost.Core.Pricing;
using InferCost.Core.Sizing;
using InferCost.Core.Fit;
using InferCost.Core.Metrics;
using InferCost.Core.Playbook;
using InferCost.Core.Simulation;
using static System.FormattableString;

namespace InferCost.Core.Procurement;

/// <summary>A GPU-hour price and where it came from (the price catalog's dated entry, or a quote).</summary>
public sealed record GpuHourPrice(decimal UsdPerGpuHour, string Source);

/// <summary>What the matrix is computed from. <see cref="Metrics"/> must be grouped at full detail (route, provider,
/// model, workload, concurrency). <see cref="Demand"/> holds hourly demand the caller resolved (demand files, request
/// events); inline demand in the profile wins over it. <see cref="Economics"/> holds per-workload economics from the
/// price catalog and curves; a workload without an entry gets <see cref="CapacityEconomicsEstimator"/>'s estimate.</summary>
public sealed record ProcurementInputs
{
    public required BuyerProfile Profile { get; init; }
    public required string ProfileSource { get; init; }
    public required MetricsResult Metrics { get; init; }
    public IReadOnlyDictionary<string, HourlyDemand> Demand { get; init; } = new Dictionary<string, HourlyDemand>();
    public IReadOnlyDictionary<string, CapacityEconomics> Economics { get; init; } = new Dictionary<string, CapacityEconomics>();
    /// <summary>The catalog's price for the planned GPU, used when the profile gives no capacity.usdPerGpuHour.</summary>
    public GpuHourPrice? CatalogGpuHourPrice { get; init; }
    public ulong Seed { get; init; } = 1;
    public PlaybookManifest? Playbook { get; init; }
    /// <summary>The GPUs each group ran on (full detail), for the capacity model's GPUs per replica.</summary>
    public IReadOnlyList<GroupHardware> Hardware { get; init; } = [];
}

/// <summary>Computes the hardware procurement matrix. Pure and deterministic for <see cref="ProcurementInputs.Seed"/>.</summary>
public static class ProcurementCalculator
{
    public const string Principle = "The decision is not API versus hardware; it is which route survives demand shape, utilization, memory fit, operations ownership, and fallback economics.";

    public static ProcurementMatrix Compute(ProcurementInputs inputs)
    {
        var playbook = inputs.Playbook ?? PlaybookManifest.Default;
        var matrix = playbook.HardwareProcurementMatrix;
        var profile = inputs.Profile;
        var evidence = WorkloadNames(inputs).Select(name => Gather(name, inputs)).ToList();
        var gates = new List<GateResult>();
        var recommendations = new List<StageRecommendation>();
        foreach (var e in evidence)
        {
            var workloadGates = ProcurementGates.Evaluate(e, matrix);
            gates.AddRange(workloadGates);
            recommendations.Add(StageRecommender.Recommend(e, workloadGates, matrix));
        }
        return new ProcurementMatrix
        {
            Title = "Hardware procurement matrix",
            Purpose = matrix.Purpose,
            Principle = Principle,
            ProfileSource = inputs.ProfileSource,
            Assumptions = Assumptions(inputs),
            Workloads = evidence.Select(e => new WorkloadProcurement
            {
                Workload = e.Workload,
                InProfile = e.Profile is not null,
                InTraces = e.Groups.Count > 0,
                TargetP95Ms = e.TargetP95Ms,
                TargetSource = e.TargetSource,
                DemandSource = e.Demand?.Source,
                Demand = e.Shape,
                Capacity = e.Sizing,
                Economics = e.Economics,
            }).ToList(),
            Gates = gates,
            Readiness = ReadinessScorer.Score(evidence, gates, profile, matrix),
            Recommendations = recommendations,
        };
    }

    private static List<string> Assumptions(ProcurementInputs inputs) =>
    [
        Invariant($"Reviewer time at ${inputs.Metrics.Assumptions.ReviewerUsdPerHour} per hour, as in the metrics."),
        "Demand shape: " + DemandShapeClassifier.Rules + ".",
        Invariant($"Utilization proof: the fewest replicas holding the p95 target at the peak hour ({CapacitySizer.PeakRunRequests:#,0} simulated arrivals at the peak rate, 10% warm-up), then a simulated day of the hourly demand on those replicas; passes at {ProcurementGates.UtilizationHeadroom:0.#}× the break-even utilization, warns between 1× and {ProcurementGates.UtilizationHeadroom:0.#}×, fails below."),
        Invariant($"Retry storm: a 2× burst for ten minutes after ten minutes of peak load, clients timing out and retrying (default timeout {CapacitySizer.DefaultTimeoutTimesTarget:0.#}× the p95 target, {CapacitySizer.DefaultMaxRetries} retries, unless fallback.retryPolicy says otherwise); statistics over the burst and twenty minutes of recovery."),
        Invariant($"Simulation seed {inputs.Seed}; the same seed gives the same matrix."),
        "Memory fit: weights + runtime overhead (2 GiB per GPU) + sessions × KV cache against 90% of GPU memory, from the model and GPU catalogs; sessions per replica = capacity.batch, or the concurrency peak ÷ simulated replicas when larger.",
        "Operations maturity: passes with all five ownership items named and a passed security review; warns with three or four; fails with fewer or a failed review.",
        Invariant($"Fallback economics: blended = primary attempt cost (model + review) + fallback share × fallback cost per accepted output; cases not escalated are taken as accepted. Passes at most {ProcurementGates.FallbackSavingPass:0.##}× the managed-API baseline, warns below 1×, fails at or above it."),
        Invariant($"Capacity monthly cost = replicas × replica-hour price × {CapacityEconomicsEstimator.HoursPerMonth} hours (reserved, always on)."),
    ];

    private static IEnumerable<string> WorkloadNames(ProcurementInputs inputs)
    {
        var names = inputs.Profile.Workloads.Select(w => w.Name).ToList();
        names.AddRange(inputs.Metrics.Workloads.Select(w => w.Workload).Where(w => !names.Contains(w, StringComparer.Ordinal)));
        return names;
    }

    private static WorkloadEvidence Gather(string name, ProcurementInputs inputs)
    {
        var profile = inputs.Profile;
        var workload = profile.Workloads.FirstOrDefault(w => w.Name == name);
        var groups = inputs.Metrics.Groups.Where(g => g.Workload == name).ToList();
        var headline = inputs.Metrics.Workloads.FirstOrDefault(w => w.Workload == name);

        var (target, targetSource) = workload?.TargetP95Ms is { } t
            ? (t, "profile workloads[].targetP95Ms")
            : headline?.TargetP95Ms is { } h ? (h, TargetSource(headline.TargetSource)) : ((double?)null, "none");

        HourlyDemand? demand = workload?.DemandRequestsPerHour is { } inline
            ? new HourlyDemand(inline, "profile workloads[].demand")
            : inputs.Demand.GetValueOrDefault(name);
        double? batchable = workload?.BatchableShare ?? headline?.BatchDisplacementShare;
        var batchableSource = workload?.BatchableShare is not null ? "profile workloads[].batchableShare"
            : headline is not null ? "traces: batch displacement share (batch-eligible rows ÷ all rows, request-weighted)" : "none";
        var shape = demand is null ? null : DemandShapeClassifier.Classify(demand, batchable, batchableSource);

        var plan = profile.Capacity;
        var capacityGroups = plan?.Route is null
            ? []
            : groups.Where(g => g.Route == plan.Route && (plan.TraceModel is null || string.Equals(g.Model, plan.TraceModel, StringComparison.OrdinalIgnoreCase))).ToList();
        string? serviceReason = null;
        var service = plan?.Route is null ? null : CapacitySizer.Service(capacityGroups, plan.Batch, out serviceReason);
        // The capacity model sizes the replica the simulator serves with: the same GPUs per replica as the curves, and
        // no more concurrent sessions than fit says its memory holds.
        var replica = ReplicaFor(capacityGroups, plan, inputs.Hardware);
        if (service is not null && replica is not null)
        {
            service = service with { MaxConcurrencyPerReplica = replica.CapConcurrency(service.MaxConcurrencyPerReplica) };
        }
        var sizing = service is not null && demand is not null && target is not null
            ? CapacitySizer.Size(name, service, demand, target.Value, profile.Fallback?.RetryPolicy, inputs.Seed) with { Replica = replica }
            : null;

        var economics = inputs.Economics.GetValueOrDefault(name) is { } given
            ? WithReplicas(given, sizing?.MinReplicas)
            : CapacityEconomicsEstimator.Estimate(name, groups, target, service, ReplicaPrice(inputs, replica), sizing?.MinReplicas);

        var (fit, sessions, fitMissing) = FitFor(plan, workload, sizing, replica);
        return new WorkloadEvidence
        {
            Workload = name,
            Profile = workload,
            Buyer = profile,
            Groups = groups,
            Headline = headline,
            ReviewerUsdPerHour = inputs.Metrics.Assumptions.ReviewerUsdPerHour,
            TargetP95Ms = target,
            TargetSource = targetSource,
            Demand = demand,
            Shape = shape,
            CapacityGroups = capacityGroups,
            CapacityService = service,
            CapacityServiceReason = serviceReason,
            Replica = replica,
            Sizing = sizing,
            Economics = economics,
            Fit = fit,
            FitSessionsPerReplica = sessions,
            FitMissing = fitMissing,
        };
    }

    /// <summary>Economics from the catalog sized to the simulated replicas.</summary>
    private static CapacityEconomics WithReplicas(CapacityEconomics given, int? replicas)
    {
        if (replicas is not { } r || given.CapacityReplicas is not null)
        {
            return given;
        }
        var monthly = given.MonthlyCostOfReplicas?.Invoke(r)
            ?? (given.UsdPerReplicaHour is { } hourly ? r * hourly * CapacityEconomicsEstimator.HoursPerMonth : (decimal?)null);
        // Break-even at the replicas the peak needs; above 100% they cannot break even, and BreakEvenReplicas says how many would.
        var breakEven = given.BreakEvenUtilizationAtReplicas?.Invoke(r) is { } atR ? (atR <= 1 ? atR : (double?)null) : given.BreakEvenUtilization;
        return given with
        {
            CapacityReplicas = r,
            CapacityMonthlyCostUsd = monthly,
            BreakEvenUtilization = breakEven,
            BreakEvenSource = given.BreakEvenSource is { } source && given.BreakEvenUtilizationAtReplicas is not null ? Invariant($"{source}; at the {r} simulated replica(s)") : given.BreakEvenSource,
        };
    }

    private static string TargetSource(string metricsSource) => metricsSource switch
    {
        "rows" => "traces: targetP95Ms column",
        "--targets" => "--targets file",
        "--target-p95-ms" => "--target-p95-ms",
        _ => metricsSource,
    };

    /// <summary>The capacity model's replica for the planned route's widest measured group (the concurrency the
    /// simulator serves up to), or null without measured rows.</summary>
    private static ReplicaShape? ReplicaFor(IReadOnlyList<GroupMetrics> capacityGroups, CapacityPlan? plan, IReadOnlyList<GroupHardware> hardware)
    {
        if (plan?.Route is null || capacityGroups.Count == 0)
        {
            return null;
        }
        var widest = capacityGroups.OrderByDescending(g => g.Concurrency ?? 0).ThenBy(g => g.Label, StringComparer.Ordinal).First();
        var key = new GroupKey(widest.Route, widest.Provider, widest.Model, widest.Workload, widest.Concurrency);
        return CostCurveBuilder.ReplicaShapeFor(widest, hardware.FirstOrDefault(h => h.Key == key), plan);
    }

    /// <summary>The replica-hour price: the profile's quote, else the catalog's GPU-hour price, times GPUs per replica
    /// (the profile's, else the capacity model's).</summary>
    private static ReplicaHourPrice? ReplicaPrice(ProcurementInputs inputs, ReplicaShape? replica)
    {
        var plan = inputs.Profile.Capacity;
        if ((plan?.GpuCount ?? replica?.GpusPerReplica) is not { } gpus)
        {
            return null;
        }
        if (plan?.UsdPerGpuHour is { } quote)
        {
            return new ReplicaHourPrice(quote * gpus, Invariant($"profile capacity.usdPerGpuHour {quote} × {gpus} GPU(s) (the buyer's quote)"));
        }
        return inputs.CatalogGpuHourPrice is { } c
            ? new ReplicaHourPrice(c.UsdPerGpuHour * gpus, Invariant($"{c.Source}: {c.UsdPerGpuHour} per GPU-hour × {gpus} GPU(s)"))
            : null;
    }

    private static (FitResult? Fit, int? Sessions, List<string> Missing) FitFor(CapacityPlan? plan, WorkloadProfile? workload, CapacitySizing? sizing, ReplicaShape? replica)
    {
        // GPUs per replica: the profile's, else what the capacity model found (fit's fewest for the measured rows).
        var gpuCount = plan?.GpuCount ?? (replica is { Origin: not GpuCountOrigin.Default } r ? r.GpusPerReplica : null);
        var missing = new List<string>();
        ModelArchitecture? model = null;
        GpuSpec? gpu = null;
        if (plan?.Model is null)
        {
            missing.Add("the planned model (capacity.model, a model catalog name)");
        }
        else
        {
            var match = ModelCatalog.BuiltIn.Find(plan.Model);
            model = match.Match?.Architecture;
            if (model is null)
            {
                missing.Add($"capacity.model '{plan.Model}' is not in the model catalog" + (match.CloseMatches.Count > 0 ? $" (close: {string.Join(", ", match.CloseMatches)})" : ""));
            }
        }
        if (plan?.Gpu is null)
        {
            missing.Add("the planned GPU (capacity.gpu)");
        }
        else
        {
            var match = GpuCatalog.BuiltIn.Find(plan.Gpu);
            gpu = match.Match;
            if (gpu is null)
            {
                missing.Add($"capacity.gpu '{plan.Gpu}' is not in the GPU catalog" + (match.CloseMatches.Count > 0 ? $" (close: {string.Join(", ", match.CloseMatches)})" : ""));
            }
        }
        if (gpuCount is null)
        {
            missing.Add("GPUs per replica (capacity.gpuCount)");
        }
        if (plan?.ContextTokens is null)
        {
            missing.Add("context length per session (capacity.contextTokens)");
        }
        int? sessions = plan?.Batch;
        if (workload?.ConcurrencyPeak is { } peak && sizing?.MinReplicas is { } replicas)
        {
            sessions = Math.Max(sessions ?? 0, (peak + replicas - 1) / replicas);
        }
        if (sessions is null)
        {
            missing.Add("sessions per replica (capacity.batch, or workloads[].concurrencyPeak with a simulated replica count)");
        }
        if (model is null || gpu is null || gpuCount is null || plan?.ContextTokens is null || sessions is null)
        {
            return (null, sessions, missing);
        }
        var weights = model.NativeWeights;
        if (plan.Weights is { } w)
        {
            PrecisionFormat.TryParseWeights(w, out weights);
        }
        else
        {
            missing.Add("quantization plan (capacity.weights; the checkpoint's own precision is used meanwhile)");
        }
        var fit = FitCalculator.Compute(new FitRequest
        {
            Model = model,
            Gpu = gpu,
            GpuCount = gpuCount.Value,
            ContextTokens = plan.ContextTokens.Value,
            Batch = sessions.Value,
            Weights = weights,
        });
        return (fit, sessions, missing);
    }
}

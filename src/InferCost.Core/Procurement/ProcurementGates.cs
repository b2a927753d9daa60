using InferCost.Core.Contract;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Playbook;
using static System.FormattableString;

namespace InferCost.Core.Procurement;

/// <summary>The seed's five decision gates, each evaluated from evidence. Thresholds are constants stated here and in
/// the matrix's assumptions. Pure.</summary>
internal static class ProcurementGates
{
    public const string DemandShapeGate = "Demand shape";
    public const string UtilizationGate = "Utilization proof";
    public const string FitGate = "Memory and context fit";
    public const string OperationsGate = "Operations maturity";
    public const string FallbackGate = "Fallback economics";

    /// <summary>Utilization passes at this multiple of break-even (headroom for idle time and incidents).</summary>
    public const double UtilizationHeadroom = 1.2;
    /// <summary>Fallback passes when the blended cost is at most this share of the managed baseline.</summary>
    public const double FallbackSavingPass = 0.9;

    public static IReadOnlyList<GateResult> Evaluate(WorkloadEvidence e, HardwareMatrix matrix) =>
    [
        Demand(e, Seed(matrix, DemandShapeGate)),
        Utilization(e, Seed(matrix, UtilizationGate)),
        Fit(e, Seed(matrix, FitGate)),
        Operations(e, Seed(matrix, OperationsGate)),
        Fallback(e, Seed(matrix, FallbackGate)),
    ];

    private static DecisionGate Seed(HardwareMatrix matrix, string name) => matrix.DecisionGates.Single(g => g.Gate == name);

    private static GateResult Result(WorkloadEvidence e, DecisionGate seed, GateStatus status, string finding, List<EvidenceItem> evidence, List<string> missing,
        double? value = null, double? threshold = null, string? unit = null) => new()
    {
        Workload = e.Workload,
        Gate = seed.Gate,
        BuyerQuestion = seed.BuyerQuestion,
        Status = status,
        Finding = finding,
        Value = value,
        Threshold = threshold,
        Unit = unit,
        Evidence = evidence,
        Missing = missing,
        FailureIfSkipped = status == GateStatus.Pass ? null : seed.FailureIfSkipped,
    };

    private static GateResult Demand(WorkloadEvidence e, DecisionGate seed)
    {
        var evidence = new List<EvidenceItem>();
        var missing = new List<string>();
        if (e.Shape is not { } s)
        {
            missing.Add($"hourly request histogram for {e.Workload} (workloads[].demand or demandFile in the profile, or request events in the ledger)");
            AddTargetAndPeak(e, evidence, missing);
            return Result(e, seed, GateStatus.InsufficientEvidence, "No hourly demand: the workload's shape is unknown.", evidence, missing);
        }
        evidence.Add(new("class", s.Class.ToString().ToLowerInvariant() + " (" + s.Rule + ")", DemandShapeClassifier.Rules));
        evidence.Add(new("requests per day", Fmt.Number(s.RequestsPerDay, "#,0"), e.Demand!.Source));
        evidence.Add(new("peak hour", Invariant($"hour {s.PeakHour}: {Fmt.Number(s.PeakRequestsPerHour, "#,0.#")} requests (mean {Fmt.Number(s.MeanRequestsPerHour, "#,0.#")})"), e.Demand.Source));
        evidence.Add(new("peak-to-mean ratio", Fmt.Number(s.PeakToMeanRatio, "0.##"), e.Demand.Source));
        evidence.Add(new("hourly variation (CV)", Fmt.Number(s.CoefficientOfVariation, "0.##"), e.Demand.Source));
        evidence.Add(new("idle hours", s.IdleHours.ToString(System.Globalization.CultureInfo.InvariantCulture), Invariant($"{e.Demand.Source}; idle = at most {DemandShapeClassifier.IdleShareOfPeak:0%} of the peak hour")));
        if (s.BatchableShare is { } b)
        {
            evidence.Add(new("batchable share", Fmt.Share(b), s.BatchableShareSource));
        }
        else
        {
            missing.Add("batchable share (workloads[].batchableShare, or batchEligible in the traces)");
        }
        AddTargetAndPeak(e, evidence, missing);

        var (status, finding) = s.Class switch
        {
            DemandClass.Steady => (GateStatus.Pass, "Steady demand: reserved capacity can stay busy through the day."),
            DemandClass.Interactive => (GateStatus.Warn, "Interactive demand with a daily peak: reserved capacity must be sized for the peak hour and sits partly idle off-peak."),
            DemandClass.Bursty => (GateStatus.Fail, "Bursty demand: reserved capacity would sit idle between bursts; per-token routes absorb the bursts."),
            _ => (GateStatus.Fail, "Offline demand: most of it can wait, so a batch lane is cheaper than reserved capacity."),
        };
        if (status == GateStatus.Pass && missing.Count > 0)
        {
            status = GateStatus.Warn;
            finding += " Some demand evidence is still missing.";
        }
        return Result(e, seed, status, finding, evidence, missing, s.PeakToMeanRatio, DemandShapeClassifier.BurstyPeakToMean, "peak-to-mean ratio");
    }

    private static void AddTargetAndPeak(WorkloadEvidence e, List<EvidenceItem> evidence, List<string> missing)
    {
        if (e.TargetP95Ms is { } t)
        {
            evidence.Add(new("p95 target", Fmt.Ms(t), e.TargetSource));
        }
        else
        {
            missing.Add("p95 latency target (workloads[].targetP95Ms, --targets, or targetP95Ms in the traces)");
        }
        if (e.Profile?.ConcurrencyPeak is { } c)
        {
            evidence.Add(new("concurrency peak", Fmt.Integer(c), "profile"));
        }
        else
        {
            missing.Add("concurrency peak (workloads[].concurrencyPeak)");
        }
    }

    private static GateResult Utilization(WorkloadEvidence e, DecisionGate seed)
    {
        var evidence = new List<EvidenceItem>();
        var missing = new List<string>();
        var plan = e.Buyer.Capacity;
        if (plan?.Route is null)
        {
            missing.Add("the planned capacity route (capacity.route: Dedicated endpoint, Self-hosted GPU stack or Owned hardware)");
        }
        if (e.Demand is null)
        {
            missing.Add("hourly request histogram (to simulate the day)");
        }
        if (e.TargetP95Ms is null)
        {
            missing.Add("p95 latency target (the simulator sizes replicas for it)");
        }
        if (plan?.Route is not null && e.CapacityService is null && e.CapacityServiceReason is not null)
        {
            missing.Add(e.CapacityServiceReason);
        }
        if (e.Replica is { } replica)
        {
            evidence.Add(new("GPUs per replica", Invariant($"{replica.GpusPerReplica}"), replica.GpuCountSource));
            if (replica.MaxSessionsPerReplica is { } held)
            {
                evidence.Add(new("sessions one replica holds", Invariant($"{held}"), replica.MaxSessionsSource ?? "fit"));
            }
        }
        if (e.Sizing is { } z)
        {
            evidence.Add(new("peak arrival rate", Invariant($"{z.PeakRequestsPerSecond:0.####} requests/s"), e.Demand!.Source));
            if (z.MinReplicas is { } r)
            {
                evidence.Add(new("replicas needed at the peak", Invariant($"{r} (p95 {Fmt.Ms(z.P95AtMinReplicasMs)} ≤ target {Fmt.Ms(z.TargetP95Ms)})"), z.Source));
                evidence.Add(new("projected utilization over the day", Fmt.Share(z.ProjectedUtilization), z.Source + "; busy slots ÷ provisioned slots over 24 simulated hours"));
                evidence.Add(new("peak queue depth over the day", Fmt.Number(z.PeakQueueDepth, "#,0"), z.Source));
            }
            else
            {
                evidence.Add(new("replicas needed at the peak", "none found: " + z.NotFoundReason, z.Source));
            }
            if (z.RetryStorm is { } storm)
            {
                var p95 = storm.LatencyP95Ms is { } v ? Fmt.Ms(v) : "null (" + storm.LatencyP95NullReason + ")";
                evidence.Add(new("p95 under a retry storm", Invariant($"{p95}; success {Fmt.Share(storm.SuccessRate)}, {storm.RetriesPerRequest:0.###} retries per request"),
                    Invariant($"simulated {storm.BurstFactor:0.#}× burst for {storm.BurstSeconds / 60:0} minutes, client timeout {Fmt.Ms(storm.TimeoutMs)} with {storm.MaxRetries} retries ({storm.ClientSource})")));
            }
        }
        var measured = e.CapacityGroups.Where(g => g.Utilization is not null).ToList();
        if (measured.Count > 0)
        {
            evidence.Add(new("measured occupancy", string.Join(", ", measured.Select(g => Invariant($"{Fmt.Share(g.Utilization)} at concurrency {g.Concurrency}"))), "traces: utilization column on the capacity route"));
        }
        else if (plan?.Route is not null)
        {
            missing.Add("measured GPU occupancy on the capacity route (the utilization column in the traces)");
        }
        var econ = e.Economics;
        if (econ is not null)
        {
            if (econ.PerTokenRoute is not null)
            {
                // Named by what it includes, so it cannot be read as the headline's best (which counts every route, review included).
                evidence.Add(new(econ.PerTokenReviewIncluded ? "cheapest per-token route (review included, as in the headline)" : "cheapest per-token route by model cost (review excluded, unlike the headline)",
                    $"{econ.PerTokenRoute}: {Fmt.Usd(econ.PerTokenCostPerAcceptedOutputUsd)} per accepted output", econ.PerTokenSource ?? ""));
            }
            if (econ.UsdPerReplicaHour is not null)
            {
                evidence.Add(new("replica-hour price", Fmt.Usd(econ.UsdPerReplicaHour), econ.PriceSource ?? ""));
            }
            if (econ.CapacityMonthlyCostUsd is not null)
            {
                evidence.Add(new("capacity monthly cost", Invariant($"{Fmt.Usd(econ.CapacityMonthlyCostUsd)} for {econ.CapacityReplicas} replica(s), always on"), econ.PriceSource ?? ""));
            }
            if (econ.BreakEvenUtilization is not null)
            {
                evidence.Add(new("break-even utilization", Fmt.Share(econ.BreakEvenUtilization), econ.BreakEvenSource ?? ""));
            }
            if (econ.BreakEvenReplicas is { } k && econ.BreakEvenMonthlyAcceptedOutputs is { } volume)
            {
                evidence.Add(new("break-even volume", Invariant($"{volume:#,0} accepted outputs a month, with {k} replica(s)"), econ.BreakEvenSource ?? "cost curve"));
            }
            foreach (var m in econ.Missing.Where(m => !missing.Contains(m)))
            {
                missing.Add(m);
            }
        }

        var u = e.Sizing?.ProjectedUtilization;
        var be = econ?.BreakEvenUtilization;
        if (e.Sizing is { MinReplicas: null } notFound && notFound.NotFoundReason is not null)
        {
            return Result(e, seed, GateStatus.Fail, $"No replica count holds the p95 target at the peak: {notFound.NotFoundReason}.", evidence, missing);
        }
        if (econ?.NoBreakEvenReason is { } never)
        {
            return Result(e, seed, GateStatus.Fail, $"The capacity route cannot beat the per-token route at any utilization: {never}.", evidence, missing, u, null, "utilization");
        }
        if (be is null && econ?.BreakEvenReplicas is { } needed && econ.CapacityReplicas is { } simulated && needed > simulated)
        {
            // Never a utilization above 100%: say how many replicas it takes instead.
            return Result(e, seed, GateStatus.Fail,
                Invariant($"At the {simulated} replica(s) the peak needs, the capacity route costs more per accepted output than the per-token route however busy they are (fixed costs outweigh them): it breaks even only from {needed} replicas, about {econ.BreakEvenMonthlyAcceptedOutputs:#,0} accepted outputs a month."),
                evidence, missing, u, null, "utilization");
        }
        if (u is null || be is null)
        {
            return Result(e, seed, GateStatus.InsufficientEvidence, "Projected utilization and break-even utilization cannot both be computed yet.", evidence, missing, u, be, "utilization");
        }
        if (be > 1)
        {
            return Result(e, seed, GateStatus.Fail,
                $"The capacity route cannot beat the per-token route even fully used (projected {Fmt.Share(u)}): more demand per replica-hour than it can serve would be needed.",
                evidence, missing, u, null, "utilization");
        }
        if (u < be)
        {
            return Result(e, seed, GateStatus.Fail,
                $"Projected utilization {Fmt.Share(u)} is below the break-even {Fmt.Share(be)}: the capacity would lose money against the per-token route.",
                evidence, missing, u, be, "utilization");
        }
        if (u < UtilizationHeadroom * be)
        {
            return Result(e, seed, GateStatus.Warn,
                Invariant($"Projected utilization {Fmt.Share(u)} beats the break-even {Fmt.Share(be)} by less than {UtilizationHeadroom:0.#}×: little headroom for idle time and incidents."),
                evidence, missing, u, be, "utilization");
        }
        var status = missing.Count == 0 ? GateStatus.Pass : GateStatus.Warn;
        return Result(e, seed, status,
            Invariant($"Projected utilization {Fmt.Share(u)} is at least {UtilizationHeadroom:0.#}× the break-even {Fmt.Share(be)}.") + (missing.Count > 0 ? " Some evidence is still missing." : ""),
            evidence, missing, u, be, "utilization");
    }

    private static GateResult Fit(WorkloadEvidence e, DecisionGate seed)
    {
        var evidence = new List<EvidenceItem>();
        var missing = e.FitMissing.ToList();
        if (e.Fit is not { } fit)
        {
            return Result(e, seed, GateStatus.InsufficientEvidence, "The planned model, GPU and context are not all known, so the fit cannot be computed.", evidence, missing);
        }
        var plan = fit.Plan;
        var source = "fit: model and GPU catalogs";
        evidence.Add(new("model", $"{fit.Request.Model.Name}, {Fmt.Number(fit.Parameters.Total / 1e9, "0.#")}B parameters, {fit.Request.Weights.ToString().ToLowerInvariant()} weights", source));
        var countSource = e.Buyer.Capacity?.GpuCount is not null ? "profile capacity.gpuCount" : e.Replica?.GpuCountSource ?? "the capacity model";
        evidence.Add(new("GPU", Invariant($"{plan.GpuCount} × {plan.Gpu.Name} ({plan.Gpu.MemoryGiB} GiB each)"), $"GPUs per replica: {countSource}; {plan.Gpu.Source} ({plan.Gpu.EffectiveDate:yyyy-MM-dd})"));
        evidence.Add(new("context", Fmt.Integer(fit.Request.ContextTokens) + " tokens per session", "profile capacity.contextTokens"));
        var fromPeak = e.Buyer.Capacity?.Batch is not { } batch || e.FitSessionsPerReplica > batch;
        evidence.Add(new("sessions per replica", Fmt.Integer(e.FitSessionsPerReplica), fromPeak
            ? Invariant($"concurrency peak {e.Profile?.ConcurrencyPeak} ÷ {e.Sizing?.MinReplicas} simulated replica(s), rounded up")
            : "profile capacity.batch"));
        evidence.Add(new("weights per GPU", Bytes(plan.WeightsBytesPerGpu), source));
        evidence.Add(new("KV cache per session per GPU", Bytes(plan.KvBytesPerSessionPerGpu), source));
        evidence.Add(new("usable memory per GPU", Bytes(plan.UsableBytesPerGpu), Invariant($"{fit.Request.MemoryUtilization:0.##} of GPU memory")));
        evidence.Add(new("max concurrent sessions", Fmt.Integer(plan.MaxConcurrentSessions), source));
        foreach (var warning in fit.Warnings)
        {
            evidence.Add(new("warning", warning, source));
        }
        var sessions = fit.Request.Batch;
        if (!plan.TensorParallelValid)
        {
            return Result(e, seed, GateStatus.Fail, $"{plan.GpuCount} GPUs are not a valid tensor-parallel split of {fit.Request.Model.Name}.", evidence, missing);
        }
        if (!plan.Fits)
        {
            var needed = plan.WeightsBytesPerGpu + fit.Request.RuntimeOverheadBytesPerGpu + sessions * plan.KvBytesPerSessionPerGpu;
            var shortBytes = needed - plan.UsableBytesPerGpu;
            var fewest = fit.MinGpus is { } g ? $"; the fewest {plan.Gpu.Name} that fit: {g}" : "";
            return Result(e, seed, GateStatus.Fail,
                $"Does not fit: each GPU needs {Bytes(needed)} for weights, runtime and {sessions} sessions but has {Bytes(plan.UsableBytesPerGpu)} usable — {Bytes(shortBytes)} ({Fmt.Integer(shortBytes)} bytes) short per GPU{fewest}.",
                evidence, missing, shortBytes, 0, "bytes short per GPU");
        }
        var status = fit.Warnings.Count > 0 || missing.Count > 0 ? GateStatus.Warn : GateStatus.Pass;
        return Result(e, seed, status,
            $"Fits: {Fmt.Integer(plan.MaxConcurrentSessions)} concurrent sessions at this context against {sessions} needed per replica." + (status == GateStatus.Warn ? " See the warnings and missing evidence." : ""),
            evidence, missing, plan.MaxConcurrentSessions, sessions, "sessions per replica");
    }

    private static GateResult Operations(WorkloadEvidence e, DecisionGate seed)
    {
        var ops = e.Buyer.Operations;
        var evidence = new List<EvidenceItem>();
        var missing = new List<string>();
        void Item(string key, string label, string? value)
        {
            if (value is null)
            {
                missing.Add($"{label} (operations.{key})");
            }
            else
            {
                evidence.Add(new(label, value, "profile operations." + key));
            }
        }
        Item("runbookOwner", "runbook owner", ops?.RunbookOwner);
        Item("monitoringPlan", "monitoring plan", ops?.MonitoringPlan);
        Item("rollbackRoute", "rollback route", ops?.RollbackRoute);
        Item("modelUpgradePolicy", "model upgrade policy", ops?.ModelUpgradePolicy);
        Item("securityReview", "security review", ops?.SecurityReview is { } sr ? SecurityName(sr) : null);
        var present = evidence.Count;
        if (present == 0)
        {
            return Result(e, seed, GateStatus.InsufficientEvidence, "No operations ownership evidence: nobody is named for serving, upgrades, monitoring or incidents.", evidence, missing, 0, 5, "ownership items");
        }
        if (ops!.SecurityReview == SecurityReviewStatus.Failed)
        {
            return Result(e, seed, GateStatus.Fail, "The security review failed.", evidence, missing, present, 5, "ownership items");
        }
        if (present == 5 && ops.SecurityReview == SecurityReviewStatus.Passed)
        {
            return Result(e, seed, GateStatus.Pass, "All five ownership items are named and the security review passed.", evidence, missing, present, 5, "ownership items");
        }
        var status = present >= 3 ? GateStatus.Warn : GateStatus.Fail;
        var security = ops.SecurityReview is SecurityReviewStatus.NotStarted or SecurityReviewStatus.InProgress ? $"; the security review is {SecurityName(ops.SecurityReview.Value)}" : "";
        return Result(e, seed, status, $"{present} of 5 ownership items are named{security}.", evidence, missing, present, 5, "ownership items");
    }

    internal static string SecurityName(SecurityReviewStatus s) => s switch
    {
        SecurityReviewStatus.NotStarted => "not-started",
        SecurityReviewStatus.InProgress => "in-progress",
        SecurityReviewStatus.Passed => "passed",
        _ => "failed",
    };

    /// <summary>The open route that fallback protects: the planned capacity route when measured on this workload,
    /// else the cheapest measured non-managed route within the target.</summary>
    internal static GroupMetrics? Primary(WorkloadEvidence e)
    {
        static IEnumerable<GroupMetrics> Cheapest(IEnumerable<GroupMetrics> groups, double? target) =>
            groups.Where(g => g.CostPerOutputUsd is not null && g.CostPerAcceptedOutputUsd is not null)
                .OrderBy(g => target is not null && g.LatencyP95Ms > target ? 1 : 0)
                .ThenBy(g => g.CostPerAcceptedOutputUsd);
        return Cheapest(e.CapacityGroups, e.TargetP95Ms).FirstOrDefault()
            ?? Cheapest(e.Groups.Where(g => g.Route != Routes.ManagedFrontierApi && (e.TargetP95Ms is null || g.LatencyP95Ms <= e.TargetP95Ms)), e.TargetP95Ms).FirstOrDefault();
    }

    internal static GroupMetrics? Baseline(WorkloadEvidence e) =>
        e.Groups.Where(g => g.Route == Routes.ManagedFrontierApi && g.CostPerAcceptedOutputUsd is not null)
            .OrderBy(g => e.TargetP95Ms is not null && g.LatencyP95Ms > e.TargetP95Ms ? 1 : 0)
            .ThenBy(g => g.CostPerAcceptedOutputUsd).FirstOrDefault();

    private static GateResult Fallback(WorkloadEvidence e, DecisionGate seed)
    {
        var evidence = new List<EvidenceItem>();
        var missing = new List<string>();
        var plan = e.Buyer.Fallback;
        var primary = Primary(e);
        var baseline = Baseline(e);
        var fallbackRoute = plan?.Route ?? primary?.FallbackRoute;
        var routeSource = plan?.Route is not null ? "profile fallback.route" : "traces: fallbackRoute column";

        if (primary is null)
        {
            missing.Add("a priced open-weight or capacity route measured on this workload (the route the fallback protects)");
        }
        else
        {
            evidence.Add(new("primary route", $"{primary.Label}: {Fmt.Usd(primary.CostPerOutputUsd + primary.ReviewCostPerOutputUsd)} per attempt (model + review), acceptance {Fmt.Share(primary.AcceptedOutputRate)}", "traces"));
        }
        if (baseline is null)
        {
            missing.Add("a priced Managed frontier API measurement on this workload (the managed-API baseline)");
        }
        else
        {
            evidence.Add(new("managed-API baseline", $"{baseline.Label}: {Fmt.Usd(baseline.CostPerAcceptedOutputUsd)} per accepted output", "traces"));
        }

        GroupMetrics? fallback = null;
        if (fallbackRoute is null)
        {
            missing.Add("fallback route and model (fallback.route, fallback.model)");
        }
        else
        {
            var onRoute = e.Groups.Where(g => g.Route == fallbackRoute && g.CostPerOutputUsd is not null && g.AcceptedOutputRate > 0)
                .OrderBy(g => e.TargetP95Ms is not null && g.LatencyP95Ms > e.TargetP95Ms ? 1 : 0).ThenBy(g => g.CostPerAcceptedOutputUsd).ToList();
            fallback = onRoute.FirstOrDefault(g => plan?.Model is null || string.Equals(g.Model, plan.Model, StringComparison.OrdinalIgnoreCase));
            evidence.Add(new("fallback route", fallbackRoute + (plan?.Model is { } m ? " · " + m : ""), routeSource));
            if (fallback is null && onRoute.Count > 0)
            {
                // The profile names one fallback model for every workload; where it was not measured on this workload,
                // the route's cheapest measured model stands in, and the gap is named.
                fallback = onRoute[0];
                missing.Add($"a measurement of the fallback model {plan!.Model} on this workload ({fallback.Model} on the same route stands in)");
            }
            if (fallback is null)
            {
                missing.Add($"a priced measurement of the fallback {fallbackRoute}{(plan?.Model is { } fm ? " · " + fm : "")} on this workload (its cost per accepted output)");
            }
        }
        decimal? fallbackCost = null;
        if (fallback is not null)
        {
            if (plan?.ReviewMinutes is { } minutes)
            {
                fallbackCost = (fallback.CostPerOutputUsd!.Value + (decimal)minutes / 60m * e.ReviewerUsdPerHour) / (decimal)fallback.AcceptedOutputRate!.Value; // filtered to acceptance > 0 above
                evidence.Add(new("fallback cost per accepted output", Fmt.Usd(fallbackCost), Invariant($"traces ({fallback.Label}) with {minutes:0.##} review minutes from the profile")));
            }
            else
            {
                fallbackCost = fallback.CostPerAcceptedOutputUsd;
                evidence.Add(new("fallback cost per accepted output", Fmt.Usd(fallbackCost), $"traces ({fallback.Label})"));
                missing.Add("review minutes per fallback output (fallback.reviewMinutes; the traces' figure is used meanwhile)");
            }
        }
        double? share = plan?.ExpectedShare ?? primary?.FallbackShare;
        if (share is { } sh)
        {
            evidence.Add(new("fallback share", Fmt.Share(sh), plan?.ExpectedShare is not null ? "profile fallback.expectedShare" : "traces: fallbackShare column"));
        }
        else
        {
            missing.Add("expected fallback share (fallback.expectedShare, or fallbackShare in the traces)");
        }
        if (plan?.RoutingThreshold is { } threshold)
        {
            evidence.Add(new("routing threshold", threshold, "profile fallback.routingThreshold"));
        }
        else
        {
            missing.Add("routing threshold (fallback.routingThreshold)");
        }
        if (plan?.RetryPolicy is { } retry)
        {
            evidence.Add(new("retry policy", Invariant($"timeout {Fmt.Ms(retry.TimeoutMs)}, {retry.MaxRetries?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—"} retries"), "profile fallback.retryPolicy"));
        }
        else
        {
            missing.Add("retry policy (fallback.retryPolicy)");
        }

        if (primary is null || baseline is null || fallbackCost is null || share is null)
        {
            return Result(e, seed, GateStatus.InsufficientEvidence, "The blended cost per accepted output with fallback cannot be computed yet.", evidence, missing);
        }
        var attempt = primary.CostPerOutputUsd!.Value + primary.ReviewCostPerOutputUsd;
        var blended = attempt + (decimal)share.Value * fallbackCost.Value;
        var baselineCost = baseline.CostPerAcceptedOutputUsd!.Value;
        evidence.Add(new("blended cost per accepted output", Fmt.Usd(blended),
            Invariant($"primary attempt {Fmt.Usd(attempt)} + {share.Value:0.###} × fallback {Fmt.Usd(fallbackCost)} (escalated cases pay the failed primary attempt plus the fallback)")));
        var rejection = 1 - primary.AcceptedOutputRate!.Value; // the primary has a cost per accepted output, so its acceptance is known
        var finding = $"Blended {Fmt.Usd(blended)} per accepted output against the managed-API baseline {Fmt.Usd(baselineCost)}";
        GateStatus status;
        if (blended >= baselineCost)
        {
            status = GateStatus.Fail;
            finding += ": no saving once hard cases are routed to the fallback.";
        }
        else
        {
            var ratio = (double)(blended / baselineCost);
            status = ratio <= FallbackSavingPass ? GateStatus.Pass : GateStatus.Warn;
            finding += Invariant($": {Fmt.Share(1 - ratio)} cheaper") + (status == GateStatus.Warn ? Invariant($", under the {Fmt.Share(1 - FallbackSavingPass)} margin.") : ".");
        }
        if (share.Value + 1e-9 < rejection)
        {
            missing.Add(Invariant($"the expected fallback share {Fmt.Share(share)} is below the primary's measured rejection rate {Fmt.Share(rejection)}: say how rejected outputs that are not escalated are caught"));
        }
        if (status == GateStatus.Pass && missing.Count > 0)
        {
            status = GateStatus.Warn;
            finding += " Some fallback design evidence is still missing.";
        }
        return Result(e, seed, status, finding, evidence, missing, (double)blended, (double)baselineCost, "USD per accepted output");
    }

    internal static string Bytes(long bytes) => Fmt.Number(bytes / 1_073_741_824.0, "#,0.##") + " GiB";
}

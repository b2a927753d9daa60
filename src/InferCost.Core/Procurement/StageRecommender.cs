using InferCost.Core.Contract;
using InferCost.Core.Playbook;

namespace InferCost.Core.Procurement;

/// <summary>Picks, per workload, the furthest of the seed's five route stages whose minimum evidence is present,
/// whose gates are met, and whose avoid-when does not apply. Managed API only is the baseline and always qualifies.
/// Gate requirements: serverless — fallback economics not failed; dedicated — demand shape, operations and fallback
/// pass or warn, utilization passes, memory fit passes or warns; cloud self-hosting and owned hardware — all five
/// pass. Pure.</summary>
internal static class StageRecommender
{
    public static StageRecommendation Recommend(WorkloadEvidence e, IReadOnlyList<GateResult> gates, HardwareMatrix matrix)
    {
        var byName = gates.ToDictionary(g => g.Gate);
        var checks = new List<StageCheck>();
        for (var i = 0; i < matrix.Routes.Count; i++)
        {
            var (missing, avoid) = StageEvidence(i, e);
            var gatesNotMet = Requirements(i)
                .Where(r => !r.Accepts(byName[r.Gate].Status))
                .Select(r => $"{r.Gate} is {byName[r.Gate].StatusName} (needs {r.Needs})")
                .ToList();
            var qualifies = i == 0 || (missing.Count == 0 && gatesNotMet.Count == 0 && avoid.Count == 0);
            checks.Add(new StageCheck(matrix.Routes[i].Route, qualifies, missing, gatesNotMet, avoid));
        }
        var index = checks.FindLastIndex(c => c.Qualifies);
        var chosen = matrix.Routes[index];
        string why;
        if (index == 0)
        {
            why = checks[0].MissingEvidence.Count == 0
                ? "The baseline: every later stage lacks evidence or fails a gate."
                : "The baseline by default; even its minimum evidence is incomplete.";
        }
        else
        {
            why = $"Minimum evidence present, gates met and no avoid-when applies for {chosen.Route}.";
        }

        string? nextRoute = null, blockingGate = null, blockingStatus = null;
        var nextEvidence = new List<string>();
        if (index + 1 < matrix.Routes.Count)
        {
            var next = checks[index + 1];
            nextRoute = next.Route;
            var blocking = Requirements(index + 1).FirstOrDefault(r => !r.Accepts(byName[r.Gate].Status));
            if (blocking is not null)
            {
                blockingGate = blocking.Gate;
                blockingStatus = byName[blocking.Gate].StatusName;
            }
            nextEvidence.AddRange(next.MissingEvidence);
            foreach (var r in Requirements(index + 1).Where(r => !r.Accepts(byName[r.Gate].Status)))
            {
                var gate = byName[r.Gate];
                // A gate that failed on its numbers needs the numbers to change; one short of evidence needs the evidence.
                if (gate.Status is GateStatus.Fail or GateStatus.Warn || gate.Missing.Count == 0)
                {
                    nextEvidence.Add($"{r.Gate}: {gate.Finding}");
                }
                nextEvidence.AddRange(gate.Missing.Select(m => $"{r.Gate}: {m}"));
            }
            nextEvidence.AddRange(next.AvoidWhen.Select(a => $"resolve: {a}"));
        }
        else if (checks[index].MissingEvidence.Count > 0)
        {
            nextEvidence.AddRange(checks[index].MissingEvidence);
        }
        if (index == 0)
        {
            nextEvidence.InsertRange(0, checks[0].MissingEvidence.Where(m => !nextEvidence.Contains(m)));
        }

        return new StageRecommendation
        {
            Workload = e.Workload,
            StageIndex = index,
            Route = chosen.Route,
            Stage = chosen.Stage,
            Owner = chosen.Owner,
            Why = why,
            NextRoute = nextRoute,
            BlockingGate = blockingGate,
            BlockingGateStatus = blockingStatus,
            NextEvidence = nextEvidence.Distinct().ToList(),
            Stages = checks,
        };
    }

    private sealed record Requirement(string Gate, string Needs, Func<GateStatus, bool> Accepts);

    private static readonly Requirement[] NoGates = [];

    private static Requirement Pass(string gate) => new(gate, "pass", s => s == GateStatus.Pass);

    private static Requirement PassOrWarn(string gate) => new(gate, "pass or warn", s => s is GateStatus.Pass or GateStatus.Warn);

    private static IReadOnlyList<Requirement> Requirements(int stage) => stage switch
    {
        0 => NoGates,
        1 => [new(ProcurementGates.FallbackGate, "not fail", s => s != GateStatus.Fail)],
        2 =>
        [
            PassOrWarn(ProcurementGates.DemandShapeGate),
            Pass(ProcurementGates.UtilizationGate),
            PassOrWarn(ProcurementGates.FitGate),
            PassOrWarn(ProcurementGates.OperationsGate),
            PassOrWarn(ProcurementGates.FallbackGate),
        ],
        _ =>
        [
            Pass(ProcurementGates.DemandShapeGate),
            Pass(ProcurementGates.UtilizationGate),
            Pass(ProcurementGates.FitGate),
            Pass(ProcurementGates.OperationsGate),
            Pass(ProcurementGates.FallbackGate),
        ],
    };

    /// <summary>The seed's minimum evidence and avoid-when conditions of a stage, as checks on the evidence.</summary>
    private static (List<string> Missing, List<string> Avoid) StageEvidence(int stage, WorkloadEvidence e)
    {
        var missing = new List<string>();
        var avoid = new List<string>();
        var ops = e.Buyer.Operations;
        var procurement = e.Buyer.Procurement;
        switch (stage)
        {
            case 0:
            {
                var managed = e.Groups.Where(g => g.Route == Routes.ManagedFrontierApi).ToList();
                if (managed.Count == 0)
                {
                    missing.Add("private task pass rate, cost per accepted output and p95 latency of a Managed frontier API on this workload (trace rows)");
                }
                else
                {
                    if (managed.All(g => g.CostPerAcceptedOutputUsd is null))
                    {
                        missing.Add("cost per accepted output of the managed API (costUsd and a non-zero acceptedOutputRate)");
                    }
                    if (managed.All(g => g.RetryRate is null))
                    {
                        missing.Add("retry fallout of the managed API (retryRate column)");
                    }
                }
                break;
            }
            case 1:
            {
                var serverless = e.Groups.Where(g => g.Route == Routes.HostedOpenWeightServerless).ToList();
                if (serverless.Count == 0)
                {
                    missing.Add("acceptance rate and token price of a Hosted open-weight serverless model on this workload (trace rows)");
                }
                else if (serverless.All(g => g.CostPerAcceptedOutputUsd is null))
                {
                    missing.Add("token price (costUsd) and a non-zero acceptance rate of the serverless route");
                }
                if (serverless.Count > 0 && e.TargetP95Ms is { } t && serverless.All(g => g.LatencyP95Ms > t))
                {
                    avoid.Add("tail latency breaks the workflow: no serverless measurement meets the p95 target");
                }
                if (procurement?.DataResidency == DataResidency.PrivateBoundary)
                {
                    avoid.Add("procurement needs a fixed data boundary (procurement.dataResidency: private-boundary)");
                }
                break;
            }
            case 2:
                if (e.Demand is null)
                {
                    missing.Add("seven-day traffic shape (hourly demand)");
                }
                else if (e.Profile?.DemandDays is not >= 7)
                {
                    missing.Add("seven-day traffic shape: state the days behind the histogram (workloads[].demandDays ≥ 7)");
                }
                if (e.Sizing?.MinReplicas is null)
                {
                    missing.Add("autoscaling floor (replicas at the peak, simulated from the capacity route's measurements)");
                }
                if (e.Sizing?.ProjectedUtilization is null && e.CapacityGroups.All(g => g.Utilization is null))
                {
                    missing.Add("utilization of the capacity route");
                }
                if (e.CapacityGroups.Count == 0 || e.CapacityGroups.All(g => g.LatencyP99Ms is null))
                {
                    missing.Add("p95/p99 latency measured on the capacity route (latencyP99Ms column)");
                }
                if (e.Buyer.Fallback?.Route is null && e.Groups.All(g => g.FallbackRoute is null))
                {
                    missing.Add("fallback route (fallback.route)");
                }
                if (e.Economics?.BreakEvenUtilization is { } be && e.Sizing?.ProjectedUtilization is { } u && u < be)
                {
                    avoid.Add("utilization is weak: projected below break-even");
                }
                if (ops?.RunbookOwner is null)
                {
                    avoid.Add("incident ownership is unclear (no operations.runbookOwner)");
                }
                break;
            case 3:
                if (e.Economics?.UsdPerReplicaHour is null)
                {
                    missing.Add("GPU-hour cost (capacity.usdPerGpuHour or the price catalog)");
                }
                if (e.CapacityService is null)
                {
                    missing.Add("serving stack benchmark: measured rows of the capacity route on this workload");
                }
                if (e.CapacityGroups.All(g => g.Utilization is null))
                {
                    missing.Add("occupancy measured on the capacity route (utilization column)");
                }
                if (e.Sizing?.PeakQueueDepth is null)
                {
                    missing.Add("queue depth (simulated from demand and the capacity route's measurements)");
                }
                if (ops?.ModelUpgradePolicy is null || ops.RunbookOwner is null)
                {
                    missing.Add("upgrade runbook (operations.runbookOwner and operations.modelUpgradePolicy)");
                }
                if (ops?.SecurityReview != SecurityReviewStatus.Passed)
                {
                    missing.Add("a passed security review (operations.securityReview: passed)");
                }
                if (ops?.MonitoringPlan is null)
                {
                    avoid.Add("the team cannot yet monitor serving reliably (no operations.monitoringPlan)");
                }
                if (e.Buyer.Capacity?.Model is null)
                {
                    avoid.Add("the team is still learning which model solves the workflow (no capacity.model chosen)");
                }
                break;
            default:
                if (procurement?.DemandForecastMonths is not >= 3)
                {
                    missing.Add("three-month demand forecast (procurement.demandForecastMonths ≥ 3)");
                }
                if (procurement?.DepreciationMonths is null)
                {
                    missing.Add("depreciation model (procurement.depreciationMonths)");
                }
                if (procurement?.PowerPlan is null)
                {
                    missing.Add("power/cooling plan (procurement.powerPlan)");
                }
                if (procurement?.VendorSupport is null)
                {
                    missing.Add("support contract (procurement.vendorSupport)");
                }
                var fallbackRoute = e.Buyer.Fallback?.Route;
                if (fallbackRoute is null || !CapacityEconomicsEstimator.IsPerToken(fallbackRoute))
                {
                    missing.Add("fallback API (fallback.route: a managed or serverless route)");
                }
                if (e.Demand is null || procurement?.DemandForecastMonths is not >= 3)
                {
                    avoid.Add("demand is speculative (no histogram or forecast under three months)");
                }
                if (e.CapacityGroups.All(g => g.Utilization is null))
                {
                    avoid.Add("utilization cannot be audited continuously (no measured occupancy)");
                }
                break;
        }
        return (missing, avoid);
    }
}

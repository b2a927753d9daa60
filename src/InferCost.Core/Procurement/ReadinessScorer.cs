using InferCost.Core.Playbook;
using static System.FormattableString;

namespace InferCost.Core.Procurement;

/// <summary>The seed's five readiness dimensions scored 0–100 from the evidence present and the gate results. Each
/// formula is a weighted sum whose weights total 100; "share" terms average over the workloads, a gate counts 1
/// when it passes, ½ when it warns, 0 otherwise. The formulas are printed with the scores. Pure.</summary>
internal static class ReadinessScorer
{
    public const string DemandFormula = "15·histogram + 15·p95 target + 10·batchable share + 10·concurrency peak + 10·seven days of traffic (shares of workloads) + 20·min(forecast months, 3)/3 + 20·demand-shape gate";
    public const string UtilizationFormula = "20·capacity route named + 20·capacity route measured + 15·GPU-hour price + 15·measured occupancy (shares of workloads) + 30·utilization gate";
    public const string OpsFormula = "20 for each of runbook owner, monitoring plan, rollback route, model upgrade policy; security review 20 if passed, 10 if in progress";
    public const string FallbackFormula = "10·route + 5·model + 15·routing threshold + 15·retry policy + 15·expected share + 10·review minutes + 30·fallback gate";
    public const string ProcurementFormula = "25 each for data residency, vendor support, budget horizon; security review 25 if passed, 12 if in progress";

    public static IReadOnlyList<ReadinessResult> Score(IReadOnlyList<WorkloadEvidence> workloads, IReadOnlyList<GateResult> gates, BuyerProfile profile, HardwareMatrix matrix)
    {
        var n = Math.Max(1, workloads.Count);
        double Share(Func<WorkloadEvidence, bool> has) => workloads.Count(has) / (double)n;
        double Gate(string gate)
        {
            var results = gates.Where(g => g.Gate == gate).ToList();
            return results.Count == 0 ? 0 : results.Average(g => g.Status switch { GateStatus.Pass => 1.0, GateStatus.Warn => 0.5, _ => 0.0 });
        }
        var results = new List<ReadinessResult>();
        ReadinessResult Make(string dimension, double score, string formula, List<string> missing, string complete)
        {
            var seed = matrix.ReadinessScores.Single(r => r.Dimension == dimension);
            var value = (int)Math.Round(score, MidpointRounding.AwayFromZero);
            var note = missing.Count == 0 ? complete : "Missing: " + string.Join("; ", missing) + ".";
            return new ReadinessResult(dimension, value, formula, note, missing, seed.Score);
        }

        // Demand forecast
        {
            var missing = new List<string>();
            var h = Share(w => w.Demand is not null);
            var t = Share(w => w.TargetP95Ms is not null);
            var b = Share(w => w.Shape?.BatchableShare is not null || w.Profile?.BatchableShare is not null);
            var p = Share(w => w.Profile?.ConcurrencyPeak is not null);
            var d = Share(w => w.Profile?.DemandDays is >= 7);
            var months = profile.Procurement?.DemandForecastMonths;
            var f = Math.Min(months ?? 0, 3) / 3.0;
            Note(missing, h, "hourly demand for every workload");
            Note(missing, t, "a p95 target for every workload");
            Note(missing, b, "batchable share for every workload");
            Note(missing, p, "concurrency peak for every workload");
            Note(missing, d, "seven days of traffic behind each histogram (workloads[].demandDays ≥ 7)");
            Note(missing, f, "a demand forecast of three months or more (procurement.demandForecastMonths)");
            var g = Gate(ProcurementGates.DemandShapeGate);
            Note(missing, g, "a demand shape that passes its gate");
            results.Add(Make("Demand forecast", 15 * h + 15 * t + 10 * b + 10 * p + 10 * d + 20 * f + 20 * g, DemandFormula, missing,
                "Traffic evidence is complete enough to compare hosted, dedicated and self-hosted routes."));
        }
        // Utilization model
        {
            var missing = new List<string>();
            var named = profile.Capacity?.Route is not null ? 1.0 : 0.0;
            var measured = Share(w => w.CapacityService is not null);
            var price = Share(w => w.Economics?.UsdPerReplicaHour is not null);
            var occupancy = Share(w => w.CapacityGroups.Any(g => g.Utilization is not null));
            var g = Gate(ProcurementGates.UtilizationGate);
            Note(missing, named, "the planned capacity route (capacity.route)");
            Note(missing, measured, "measured rows of the capacity route on every workload");
            Note(missing, price, "a GPU-hour price (capacity.usdPerGpuHour or the price catalog)");
            Note(missing, occupancy, "measured occupancy (utilization column) on the capacity route");
            Note(missing, g, "projected utilization above break-even with headroom");
            results.Add(Make("Utilization model", 20 * named + 20 * measured + 15 * price + 15 * occupancy + 30 * g, UtilizationFormula, missing,
                "Measured occupancy and simulated utilization both clear break-even."));
        }
        // Ops ownership
        {
            var ops = profile.Operations;
            var missing = new List<string>();
            double score = 0;
            void Item(string? value, string label)
            {
                if (value is null) missing.Add(label);
                else score += 20;
            }
            Item(ops?.RunbookOwner, "runbook owner");
            Item(ops?.MonitoringPlan, "monitoring plan");
            Item(ops?.RollbackRoute, "rollback route");
            Item(ops?.ModelUpgradePolicy, "model upgrade policy");
            score += ops?.SecurityReview switch { SecurityReviewStatus.Passed => 20, SecurityReviewStatus.InProgress => 10, _ => 0 };
            if (ops?.SecurityReview is not SecurityReviewStatus.Passed)
            {
                missing.Add(ops?.SecurityReview is { } s ? $"a passed security review (now {ProcurementGates.SecurityName(s)})" : "security review status");
            }
            results.Add(Make("Ops ownership", score, OpsFormula, missing, "Serving, rollback, upgrade and incident ownership are explicit."));
        }
        // Fallback design
        {
            var fb = profile.Fallback;
            var missing = new List<string>();
            var routeKnown = fb?.Route is not null || workloads.Any(w => ProcurementGates.Primary(w)?.FallbackRoute is not null);
            double score = (routeKnown ? 10 : 0) + (fb?.Model is not null ? 5 : 0) + (fb?.RoutingThreshold is not null ? 15 : 0)
                + (fb?.RetryPolicy is not null ? 15 : 0) + (fb?.ExpectedShare is not null ? 15 : 0) + (fb?.ReviewMinutes is not null ? 10 : 0);
            if (!routeKnown) missing.Add("fallback route");
            if (fb?.Model is null) missing.Add("fallback model");
            if (fb?.RoutingThreshold is null) missing.Add("routing threshold");
            if (fb?.RetryPolicy is null) missing.Add("retry policy");
            if (fb?.ExpectedShare is null) missing.Add("expected fallback share");
            if (fb?.ReviewMinutes is null) missing.Add("fallback review minutes");
            var g = Gate(ProcurementGates.FallbackGate);
            Note(missing, g, "a blended cost per accepted output that beats the managed baseline by the margin");
            results.Add(Make("Fallback design", score + 30 * g, FallbackFormula, missing,
                "Hard cases route back to a managed model and the blended cost per accepted output is measured."));
        }
        // Procurement clarity
        {
            var pr = profile.Procurement;
            var missing = new List<string>();
            double score = 0;
            if (pr?.DataResidency is not null) score += 25; else missing.Add("data residency");
            if (pr?.VendorSupport is not null) score += 25; else missing.Add("vendor support");
            if (pr?.BudgetHorizonMonths is not null) score += 25; else missing.Add("budget horizon");
            var security = profile.Operations?.SecurityReview;
            score += security switch { SecurityReviewStatus.Passed => 25, SecurityReviewStatus.InProgress => 12, _ => 0 };
            if (security is not SecurityReviewStatus.Passed) missing.Add("a passed security review");
            results.Add(Make("Procurement clarity", score, ProcurementFormula, missing, "Security, residency, vendor support and budget horizon are on record."));
        }
        return results;
    }

    private static void Note(List<string> missing, double share, string what)
    {
        if (share < 1)
        {
            missing.Add(share > 0 ? Invariant($"{what} ({share:0%} so far)") : what);
        }
    }
}

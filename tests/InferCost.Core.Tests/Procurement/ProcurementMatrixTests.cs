using InferCost.Core.Fit;
using InferCost.Core.Procurement;
using static InferCost.Core.Tests.Procurement.ProcurementKit;

namespace InferCost.Core.Tests.Procurement;

public class ProcurementMatrixTests
{
    private const string W = "support";

    [Fact]
    public void Steady_high_volume_with_full_evidence_reaches_cloud_gpu_self_hosting()
    {
        var m = Compute(FullProfile(W, SteadyDemand()), Traces(W));

        foreach (var gate in m.Gates)
        {
            Assert.True(gate.Status == GateStatus.Pass, $"{gate.Gate}: {gate.StatusName} — {gate.Finding} missing: {string.Join("; ", gate.Missing)}");
        }
        var rec = m.Recommendations.Single();
        Assert.Equal("Cloud GPU self-hosting", rec.Route);
        Assert.Equal("Infrastructure owner", rec.Owner);
        Assert.Equal("Owned hardware", rec.NextRoute);
        Assert.Contains(rec.NextEvidence, e => e.Contains("power/cooling plan", StringComparison.Ordinal));
    }

    [Fact]
    public void Break_even_utilization_is_the_replica_price_over_full_occupancy_accepted_outputs_times_the_per_token_cost()
    {
        var m = Compute(FullProfile(W, SteadyDemand()), Traces(W));

        // 4 GPUs × $2.5; at 32 streams a request takes 0.5 s + 300 tokens / 60 tok/s = 5.5 s; acceptance 0.88;
        // the cheapest per-token route is serverless at $0.004 / 0.85 per accepted output.
        var acceptedPerHour = 32 * 3600 / 5.5 * 0.88;
        var expected = 10.0 / (acceptedPerHour * (0.004 / 0.85));
        var gate = Gate(m, W, "Utilization proof");
        Assert.Equal(expected, gate.Threshold!.Value, 4);
        // Monthly cost = replicas × $10 × 730 h.
        var economics = m.Workloads.Single().Economics!;
        Assert.Equal(economics.CapacityReplicas!.Value * 10m * 730m, economics.CapacityMonthlyCostUsd);
    }

    [Fact]
    public void Projected_utilization_matches_offered_load_over_provisioned_slots()
    {
        var m = Compute(FullProfile(W, SteadyDemand()), Traces(W));
        var sizing = m.Workloads.Single().Capacity!;

        Assert.NotNull(sizing.MinReplicas);
        // Offered load is 10 requests/s; each takes between 0.3 + 300/90 s (alone) and 5.5 s (32 streams), so busy
        // slots lie between 10 × 3.63 and 10 × 5.5, of 32 × replicas provisioned.
        var slots = 32.0 * sizing.MinReplicas!.Value;
        Assert.InRange(sizing.ProjectedUtilization!.Value, 10 * (0.3 + 300.0 / 90) / slots * 0.97, 10 * 5.5 / slots * 1.03);
        Assert.True(sizing.P95AtMinReplicasMs <= 20_000);
        Assert.NotNull(sizing.RetryStorm);
        Assert.Equal(40_000, sizing.RetryStorm!.TimeoutMs);
    }

    [Fact]
    public void Bursty_low_volume_stays_on_per_token_routes_with_the_utilization_gate_failed_and_its_number()
    {
        var m = Compute(FullProfile(W, BurstyDemand()), Traces(W));

        var demand = Gate(m, W, "Demand shape");
        Assert.Equal(GateStatus.Fail, demand.Status);
        Assert.Equal(DemandClass.Bursty, m.Workloads.Single().Demand!.Class);

        var utilization = Gate(m, W, "Utilization proof");
        Assert.Equal(GateStatus.Fail, utilization.Status);
        Assert.True(utilization.Value < utilization.Threshold);
        // 240 requests a day of at most 5.5 s each on one replica of 32 slots: at most 240 × 5.5 / (86,400 × 32).
        Assert.True(utilization.Value <= 240 * 5.5 / (86_400.0 * 32) * 1.2);
        Assert.Contains("below the break-even", utilization.Finding);
        Assert.NotNull(utilization.FailureIfSkipped);

        var rec = m.Recommendations.Single();
        Assert.True(rec.StageIndex <= 1, rec.Route);
        Assert.Equal("Hosted open-weight serverless", rec.Route);
        Assert.Equal("Dedicated hosted endpoint", rec.NextRoute);
        Assert.Equal("Demand shape", rec.BlockingGate);
    }

    [Fact]
    public void No_operations_evidence_never_recommends_self_hosting_or_owned_hardware()
    {
        var profile = FullProfile(W, SteadyDemand()) with { Operations = null, Procurement = FullProcurement with { PowerPlan = "2 racks, 40 kW" } };

        var m = Compute(profile, Traces(W));

        var ops = Gate(m, W, "Operations maturity");
        Assert.Equal(GateStatus.InsufficientEvidence, ops.Status);
        Assert.Equal(5, ops.Missing.Count);
        var rec = m.Recommendations.Single();
        Assert.True(rec.StageIndex < 3, rec.Route);
        Assert.Contains(rec.NextEvidence, e => e.Contains("runbook owner", StringComparison.Ordinal));
    }

    [Fact]
    public void With_every_piece_of_owned_hardware_evidence_the_workload_reaches_owned_hardware()
    {
        var profile = FullProfile(W, SteadyDemand()) with { Procurement = FullProcurement with { PowerPlan = "2 racks, 40 kW" } };

        var rec = Compute(profile, Traces(W)).Recommendations.Single();

        Assert.Equal("Owned hardware", rec.Route);
        Assert.Null(rec.NextRoute);
    }

    [Fact]
    public void A_model_that_does_not_fit_fails_the_fit_gate_with_the_bytes_short()
    {
        var full = FullProfile(W, SteadyDemand());
        // A concurrency peak of 1 keeps the sessions per replica at capacity.batch (32).
        var profile = full with
        {
            Capacity = Capacity with { Weights = "bf16", GpuCount = 1 },
            Workloads = [full.Workloads[0] with { ConcurrencyPeak = 1 }],
        };

        var m = Compute(profile, Traces(W));

        var fit = Gate(m, W, "Memory and context fit");
        Assert.Equal(GateStatus.Fail, fit.Status);
        // Independently: 70B bf16 weights on one 80 GiB GPU at 90% use, 2 GiB runtime, 32 sessions of 8,192 tokens with
        // Llama-3.1-70B's KV cache (80 layers × 8 KV heads × 128 dims × 2 (K and V) × 2 bytes per token).
        var model = ModelCatalog.BuiltIn.Find("Llama-3.1-70B").Match!.Architecture;
        var parameters = FitCalculator.Compute(new FitRequest { Model = model, Gpu = GpuCatalog.BuiltIn.Find("H100").Match!, ContextTokens = 1, Weights = WeightPrecision.Bf16 }).Parameters.Total;
        var usable = (long)Math.Floor(80L * 1024 * 1024 * 1024 * 0.9);
        var kvPerSession = 80L * 8 * 128 * 2 * 2 * 8192;
        var expectedShort = parameters * 2 + 2L * 1024 * 1024 * 1024 + 32 * kvPerSession - usable;
        Assert.Equal(expectedShort, fit.Value);
        Assert.Contains("bytes) short per GPU", fit.Finding);
        Assert.Equal("bytes short per GPU", fit.Unit);
        Assert.True(m.Recommendations.Single().StageIndex < 2);
    }

    [Fact]
    public void Readiness_scores_move_when_evidence_is_added()
    {
        var bare = Compute(new BuyerProfile(), Traces(W));
        var withOps = Compute(new BuyerProfile { Operations = FullOperations }, Traces(W));
        var full = Compute(FullProfile(W, SteadyDemand()) with { Procurement = FullProcurement with { PowerPlan = "x" } }, Traces(W));

        int Score(ProcurementMatrix m, string d) => m.Readiness.Single(r => r.Dimension == d).Score;
        Assert.Equal(0, Score(bare, "Ops ownership"));
        Assert.Equal(100, Score(withOps, "Ops ownership"));
        // Procurement clarity: 25 for the passed security review alone.
        Assert.Equal(0, Score(bare, "Procurement clarity"));
        Assert.Equal(25, Score(withOps, "Procurement clarity"));
        Assert.Equal(100, Score(full, "Procurement clarity"));
        foreach (var dimension in new[] { "Demand forecast", "Utilization model", "Fallback design" })
        {
            Assert.True(Score(full, dimension) > Score(bare, dimension), dimension);
        }
        Assert.Equal(100, Score(full, "Demand forecast"));
        Assert.Equal(100, Score(full, "Utilization model"));
        Assert.Equal(100, Score(full, "Fallback design"));
        Assert.StartsWith("Missing:", bare.Readiness.Single(r => r.Dimension == "Ops ownership").Note);
    }

    [Fact]
    public void Fallback_blends_the_failed_primary_attempt_plus_the_fallback_against_the_managed_baseline()
    {
        var m = Compute(FullProfile(W, SteadyDemand()), Traces(W));

        var gate = Gate(m, W, "Fallback economics");
        // Primary: self-hosted attempt $0.002 + 0.3 min × $1; fallback: managed ($0.01 + 0.8 min × $1) / 0.9; share 0.15.
        var managed = (0.01 + 0.8) / 0.9;
        Assert.Equal(0.002 + 0.3 + 0.15 * managed, gate.Value!.Value, 6);
        Assert.Equal(managed, gate.Threshold!.Value, 6);
        Assert.Equal(GateStatus.Pass, gate.Status);
    }

    [Fact]
    public void A_profile_without_evidence_names_what_is_missing_and_stays_on_the_baseline()
    {
        var m = Compute(new BuyerProfile(), Traces(W));

        Assert.All(m.Gates, g => Assert.NotEqual(GateStatus.Pass, g.Status));
        Assert.Equal(GateStatus.InsufficientEvidence, Gate(m, W, "Demand shape").Status);
        Assert.Contains(Gate(m, W, "Demand shape").Missing, x => x.Contains("hourly request histogram", StringComparison.Ordinal));
        Assert.Equal(GateStatus.InsufficientEvidence, Gate(m, W, "Utilization proof").Status);
        Assert.Equal(GateStatus.InsufficientEvidence, Gate(m, W, "Memory and context fit").Status);
        Assert.True(m.Recommendations.Single().StageIndex <= 1);
    }

    [Fact]
    public void The_matrix_is_the_same_for_the_same_seed()
    {
        var a = Compute(FullProfile(W, SteadyDemand()), Traces(W));
        var b = Compute(FullProfile(W, SteadyDemand()), Traces(W));
        Assert.Equal(a.Workloads.Single().Capacity, b.Workloads.Single().Capacity);
    }
}

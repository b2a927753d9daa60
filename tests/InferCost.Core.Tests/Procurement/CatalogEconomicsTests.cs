using InferCost.Core.Procurement;
using static InferCost.Core.Tests.Procurement.ProcurementKit;

namespace InferCost.Core.Tests.Procurement;

public class CatalogEconomicsTests
{
    private const string W = "support";

    private static ProcurementMatrix With(CapacityEconomics economics) =>
        ProcurementCalculator.Compute(new ProcurementInputs
        {
            Profile = FullProfile(W, SteadyDemand()) with { Capacity = Capacity with { UsdPerGpuHour = null } },
            ProfileSource = "test",
            Metrics = ProcurementKit.Metrics(Traces(W)),
            Economics = new Dictionary<string, CapacityEconomics> { [W] = economics },
        });

    [Fact]
    public void Economics_from_the_catalog_are_used_and_sized_to_the_simulated_replicas()
    {
        var m = With(new CapacityEconomics
        {
            Workload = W,
            PerTokenRoute = "catalog route",
            PerTokenCostPerAcceptedOutputUsd = 0.5m,
            UsdPerReplicaHour = 7m,
            PriceSource = "catalog offer",
            BreakEvenUtilization = 0.05,
            BreakEvenSource = "cost curve",
        });

        var economics = m.Workloads.Single().Economics!;
        var replicas = m.Workloads.Single().Capacity!.MinReplicas!.Value;
        Assert.Equal(replicas, economics.CapacityReplicas);
        Assert.Equal(replicas * 7m * 730m, economics.CapacityMonthlyCostUsd);
        var gate = Gate(m, W, "Utilization proof");
        Assert.Equal(0.05, gate.Threshold);
        Assert.Contains(gate.Evidence, e => e.Source == "cost curve");
    }

    [Fact]
    public void A_capacity_route_that_can_never_break_even_fails_the_utilization_gate_with_the_reason()
    {
        var m = With(new CapacityEconomics
        {
            Workload = W,
            PerTokenRoute = "catalog route",
            PerTokenCostPerAcceptedOutputUsd = 0.2m,
            NoBreakEvenReason = "its review cost alone is at least the per-token route's",
        });

        var gate = Gate(m, W, "Utilization proof");
        Assert.Equal(GateStatus.Fail, gate.Status);
        Assert.Contains("cannot beat the per-token route at any utilization", gate.Finding);
        Assert.True(m.Recommendations.Single().StageIndex < 2);
    }
}

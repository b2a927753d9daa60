using InferCost.Core.Curves;
using InferCost.Core.Pricing;

namespace InferCost.Core.Tests.Pricing;

public class CapacityAndCurveTests
{
    private static CapacityRouteModel Replica(decimal usdPerGpuHour = 4m, double outputsPerSecond = 1000, decimal fixedUsd = 0, int floor = 1, long gpus = 1) => new()
    {
        Route = "Dedicated endpoint",
        Basis = "measured: test",
        Group = "test",
        GpuType = "H100 SXM 80GB",
        GpuCount = gpus,
        UsdPerGpuHour = usdPerGpuHour,
        HourlyPriceSource = "test",
        FixedUsdPerMonth = fixedUsd,
        FixedCostSource = null,
        AcceptedOutputsPerSecondPerReplica = outputsPerSecond,
        ReviewCostPerAcceptedOutputUsd = 0,
        FloorReplicas = floor,
        MeetsP95Target = true,
    };

    private static PerTokenRouteModel PerToken(decimal costPerOutput, double acceptance = 1) => new()
    {
        Route = "Managed frontier API",
        Group = "test",
        CostPerOutputUsd = costPerOutput,
        ReviewCostPerOutputUsd = 0,
        AcceptedOutputRate = acceptance,
        CostSource = "observed",
        MeetsP95Target = true,
        PriceSources = [],
    };

    [Fact]
    public void Two_routes_break_even_where_the_replica_cost_equals_the_per_token_spend()
    {
        var perToken = PerToken(0.02m);
        var dedicated = Replica(usdPerGpuHour: 4m);

        var breakEven = dedicated.BreakEvenMonthlyAcceptedOutputs(perToken.CostPerAcceptedOutputUsd, peakFactor: 1);

        // One $4/GPU-hour replica for 730 hours against $0.02 per accepted output: 4 × 730 / 0.02.
        Assert.Equal(4.0 * 730 / 0.02, breakEven!.Value, 6);
        Assert.Equal(146_000, breakEven.Value, 6);
        Assert.Equal(0.02m, dedicated.CostPerAcceptedOutputUsd(146_000, 1));
        Assert.True(dedicated.CostPerAcceptedOutputUsd(145_000, 1) > 0.02m);
        Assert.True(dedicated.CostPerAcceptedOutputUsd(147_000, 1) < 0.02m);
    }

    [Fact]
    public void Capacity_that_saturates_adds_a_replica_and_the_curve_steps_up()
    {
        // One accepted output per second per replica: 730 × 3600 = 2,628,000 a month under flat demand.
        var route = Replica(usdPerGpuHour: 2m, outputsPerSecond: 1);
        const double full = 730.0 * 3600;

        Assert.Equal(1, route.Replicas(full, 1));
        Assert.Equal(2, route.Replicas(full + 1, 1));
        Assert.Equal(2 * 730m * 2, route.MonthlyCostUsd(route.Replicas(full + 1, 1)));
        Assert.True(route.CostPerAcceptedOutputUsd(full + 1, 1) > route.CostPerAcceptedOutputUsd(full, 1));
        // A peak hour at twice the mean halves what one replica serves in a month.
        Assert.Equal(2, route.Replicas(full / 2 + 1, peakFactor: 2));
    }

    [Fact]
    public void The_break_even_skips_volumes_where_added_replicas_push_the_cost_back_up()
    {
        // $1,000 a month fixed operations; each replica ($730/month) serves 100,000 outputs; per-token $0.009.
        var route = Replica(usdPerGpuHour: 1m, outputsPerSecond: 100_000 / (730.0 * 3600), fixedUsd: 1000m);

        var breakEven = route.BreakEvenMonthlyAcceptedOutputs(0.009m, 1)!.Value;

        // With k replicas: (730k + 1000) / 0.009 ≤ 100,000k ⇔ k ≥ 1000 / (900 − 730) = 5.88 → k = 6: max(500,000, 5,380 / 0.009).
        Assert.Equal((730.0 * 6 + 1000) / 0.009, breakEven, 3);
        Assert.True(route.CostPerAcceptedOutputUsd(breakEven + 1, 1) <= 0.009m);
        Assert.True(route.CostPerAcceptedOutputUsd(500_000, 1) > 0.009m);
    }

    [Fact]
    public void A_route_that_loses_money_even_when_full_never_breaks_even()
    {
        var route = Replica(usdPerGpuHour: 10m, outputsPerSecond: 0.001);

        Assert.Null(route.BreakEvenMonthlyAcceptedOutputs(0.02m, 1));
        Assert.True(route.BreakEvenUtilizationAt(0.02m, 1) > 1);
        Assert.Null(route.BreakEvenPoint(0.02m, 1));
    }

    [Fact]
    public void Owned_hardware_hourly_cost_matches_a_hand_computed_capital_recovery_factor()
    {
        var owned = new OwnedHardware
        {
            GpuType = "H100 SXM 80GB", CapexUsdPerGpu = 30_000m, LifeYears = 4, ResidualValueShare = 0.1m, CostOfCapital = 0.08m,
            PowerUsdPerKwh = 0.10m, Pue = 1.5m, OperationsUsdPerGpuYear = 2_000m,
            Provenance = new PriceProvenance(new DateOnly(2026, 1, 1), "https://example.com", "test"),
        };

        // CRF(8%, 4 years) = 0.08 × 1.08^4 / (1.08^4 − 1); 1.08^4 = 1.36048896.
        const double growth = 1.36048896;
        var crf = 0.08 * growth / (growth - 1);
        Assert.Equal(0.301920804, crf, 9);
        Assert.Equal(crf, (double)OwnedHardwareCost.CapitalRecoveryFactor(0.08m, 4), 12);
        // Annual capital: (30,000 − 3,000 / 1.08^4) × CRF; power: 700 W × 1.5 × $0.10 = $0.105 an hour.
        var annual = (30_000 - 3_000 / growth) * crf;
        var hourly = (annual + 2_000) / 8_760 + 0.7 * 1.5 * 0.10;
        Assert.Equal(hourly, (double)OwnedHardwareCost.UsdPerGpuHour(owned, 700), 9);
        Assert.Equal(1.2 + 0.0, (double)OwnedHardwareCost.CapitalRecoveryFactor(0m, 4) * 4.8, 12); // r = 0: 1/n
    }

    [Fact]
    public void Break_even_utilization_is_the_share_of_a_full_replica_that_pays_for_it()
    {
        // $4 × 730 = $2,920 a month; full use of 1 output/s is 2,628,000 outputs; at $0.002 each it needs 1,460,000 of them.
        var route = Replica(usdPerGpuHour: 4m, outputsPerSecond: 1);

        Assert.Equal(2920.0 / (2_628_000 * 0.002), route.BreakEvenUtilizationAt(0.002m, 1)!.Value, 9);
    }

    [Fact]
    public void A_break_even_says_how_many_replicas_and_never_a_utilization_above_100_percent()
    {
        // $1,000 a month fixed operations; each replica ($730/month) serves 100,000 outputs; per-token $0.009.
        // One replica alone would need (730 + 1,000) / (100,000 × 0.009) = 192.2% of its capacity: it cannot break even.
        // With k replicas (730k + 1,000) / (0.009 × 100,000k) ≤ 1 ⇔ k ≥ 5.88: six replicas, at
        // (730 × 6 + 1,000) / 0.009 = 597,777.8 outputs a month, i.e. 597,777.8 / 600,000 = 99.63% average utilization.
        var route = Replica(usdPerGpuHour: 1m, outputsPerSecond: 100_000 / (730.0 * 3600), fixedUsd: 1000m);

        Assert.Equal(1730.0 / 900.0, route.BreakEvenUtilizationAt(0.009m, 1)!.Value, 9);
        var (replicas, utilization) = route.BreakEvenPoint(0.009m, 1)!.Value;
        Assert.Equal(6, replicas);
        Assert.Equal(5380.0 / 0.009 / 600_000, utilization, 9);
        Assert.True(route.BreakEvenUtilizationAt(0.009m, 6) <= 1);
    }

    [Fact]
    public void A_demand_shape_peak_factor_is_the_peak_hour_over_the_mean_hour()
    {
        var diagnostics = new Diagnostics.DiagnosticBag();
        var weights = string.Join(",", Enumerable.Range(0, 24).Select(h => h == 12 ? "4" : "1"));

        var shape = DemandShape.Parse($"[{weights}]", json: true, "d.json", diagnostics)!;

        Assert.Equal(4 / (27.0 / 24), shape.PeakFactor, 12);
        Assert.Null(DemandShape.Parse("[1,2,3]", json: true, "d.json", diagnostics));
        Assert.Contains("exactly 24", diagnostics.Errors.Single().Message);
    }
}

using System.Text;
using InferCost.Core.Curves;
using InferCost.Core.Fit;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Tests.Procurement;

namespace InferCost.Core.Tests.Curves;

/// <summary>Capacity routes with no measured capacity row are estimated from fit's bandwidth-bound decode ceiling.</summary>
public sealed class FitEstimateCurveTests
{
    private const string Dedicated = "Dedicated endpoint";

    /// <summary>One dedicated H100 offer at $4/GPU-hour and nothing else: the estimate has one GPU to choose.</summary>
    private static PriceCatalog OneH100Offer()
    {
        const string json = """
            { "schema": "infercost.prices/v1", "version": "test", "tokenPrices": [],
              "gpuOffers": [ { "gpuType": "H100", "provider": "Acme", "route": "Dedicated endpoint", "kind": "on-demand",
                               "usdPerGpuHour": 4, "effectiveDate": "2026-01-02", "source": "https://example.test/gpus" } ] }
            """;
        var read = PriceCatalogReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");
        Assert.True(read.Catalog is not null, string.Join("; ", read.Diagnostics.Select(d => d.ToSentence("test.json"))));
        return read.Catalog!;
    }

    private static CostCurve Curve(IReadOnlyDictionary<GroupKey, GroupHardware>? hardware, params GroupAggregate[] rows) =>
        CostCurveBuilder.Build(new CurveInputs
        {
            Workload = "w",
            TargetP95Ms = null,
            Groups = ProcurementKit.Metrics(rows).Groups,
            Hardware = hardware ?? new Dictionary<GroupKey, GroupHardware>(),
            Catalog = OneH100Offer(),
            ReviewerUsdPerHour = 60m,
        });

    // A serverless row for a catalog model: 2,000 input + 300 output tokens per request, 4 concurrent, 85% accepted.
    private static GroupAggregate ServerlessLlama8B() =>
        ProcurementKit.Row(ProcurementKit.Serverless, "llama-3.1-8b-instruct", "w", 4, 400, 6000, 80, 300, 0.85, 0.004m, 0.5);

    [Fact]
    public void A_per_token_row_for_a_catalog_model_gets_a_capacity_route_from_fits_decode_ceiling_marked_estimate()
    {
        var curve = Curve(null, ServerlessLlama8B());

        var route = Assert.Single(curve.CapacityRoutes);
        Assert.Equal(Dedicated, route.Route);
        Assert.True(route.Estimate);
        Assert.StartsWith("estimate:", route.Basis);
        Assert.Equal("H100 SXM 80GB", route.GpuType);
        Assert.Equal(1, route.GpuCount);
        Assert.Equal(4m, route.UsdPerGpuHour);

        // Independently through fit's public API: Llama-3.1-8B, bf16, context 2,000 + 300, batch 4, on one H100.
        var model = ModelCatalog.BuiltIn.Find("Llama-3.1-8B").Match!;
        var h100 = GpuCatalog.BuiltIn.Find("H100").Match!;
        var fit = FitCalculator.Compute(new FitRequest { Model = model.Architecture, Gpu = h100, ContextTokens = 2300, Batch = 4, Weights = WeightPrecision.Bf16 });
        Assert.Equal(1, fit.MinGpus);
        var ceiling = fit.Plan.DecodeCeiling.AggregateTokensPerSecond!.Value;
        Assert.Equal(ceiling / 300 * 0.85, route.AcceptedOutputsPerSecondPerReplica, 9);

        // And by hand from the bandwidth formula: 8,030,261,248 parameters less the untied 128,256 × 4,096 input
        // embedding (a lookup, not read) at 2 bytes, plus 4 sessions × 2,300 tokens × 32 layers × 8 KV heads × 128 × 2 (K, V) × 2 bytes.
        const double weightBytes = 2.0 * (8_030_261_248 - 128_256L * 4_096);
        const double kvBytes = 4.0 * 2300 * 32 * 8 * 128 * 2 * 2;
        var byHand = 4 * 3.35e12 / (weightBytes + kvBytes);
        Assert.Equal(byHand, ceiling, 6);
        Assert.Equal(byHand / 300 * 0.85, route.AcceptedOutputsPerSecondPerReplica, 6);

        // Every source is named: fit's ceiling, the model catalog entry, the GPU and the dated price entry.
        Assert.NotNull(route.Source);
        Assert.Contains("decode ceiling", route.Source);
        Assert.Contains("model catalog entry Llama-3.1-8B", route.Source);
        Assert.Contains("H100 SXM 80GB", route.Source);
        Assert.Contains("test.json, 2026-01-02, https://example.test/gpus", route.Source);
        Assert.Contains(curve.Assumptions.Notes, n => n.Contains("estimated", StringComparison.Ordinal));
        // The catalog has no self-hosted offer and no owned-hardware entry: those stay undrawn, with the reason.
        Assert.Contains(curve.Omitted, o => o.StartsWith("Self-hosted GPU stack: no capacity route measured", StringComparison.Ordinal) && o.Contains("no hourly GPU offer", StringComparison.Ordinal));
        Assert.Contains(curve.Omitted, o => o.StartsWith("Owned hardware: no capacity route measured", StringComparison.Ordinal) && o.Contains("owned-hardware entry", StringComparison.Ordinal));
        // The estimate draws a curve: one replica's month is 4 × 730 at low volume.
        Assert.Equal(4m * 730, curve.Points[0].Routes[Dedicated].MonthlyCostUsd);
    }

    [Fact]
    public void A_workload_whose_model_is_unknown_keeps_the_not_drawn_reason()
    {
        var curve = Curve(null, ProcurementKit.Row(ProcurementKit.Managed, "frontier-mini", "w", 8, 500, 5000, 90, 300, 0.9, 0.01m, 0.8));

        Assert.Empty(curve.CapacityRoutes);
        var dedicated = Assert.Single(curve.Omitted, o => o.StartsWith(Dedicated, StringComparison.Ordinal));
        Assert.Contains("no capacity route measured for this workload", dedicated);
        Assert.Contains("the model catalog knows none of the measured models (frontier-mini)", dedicated);
    }

    [Fact]
    public void A_measured_capacity_row_wins_over_the_estimate()
    {
        var measured = ProcurementKit.Row(Dedicated, "llama-3.1-8b-instruct", "w", 8, 300, 4000, 50, 300, 0.9, 0.002m, 0.5);
        var hardware = new Dictionary<GroupKey, GroupHardware>
        {
            [measured.Key] = new() { Key = measured.Key, GpuType = "H100", DistinctGpuTypes = 1, GpuCount = 1, GpuHourUsd = null },
        };

        var curve = Curve(hardware, ServerlessLlama8B(), measured);

        var route = Assert.Single(curve.CapacityRoutes, c => c.Route == Dedicated);
        Assert.False(route.Estimate);
        Assert.Null(route.Source);
        Assert.StartsWith("measured:", route.Basis);
        // throughputHeadroom = 50 tokens/s × 8 streams × 0.9 accepted, ÷ 300 output tokens.
        Assert.Equal(50.0 * 8 * 0.9 / 300, route.AcceptedOutputsPerSecondPerReplica, 9);
        Assert.DoesNotContain(curve.CapacityRoutes, c => c.Estimate);
    }
}

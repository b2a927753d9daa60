using InferCost.Core.Fit;

namespace InferCost.Core.Tests.Fit;

public sealed class FitCalculatorTests
{
    private const long GiB = 1L << 30;

    private static FitRequest Llama8BOnH100(long context = 8192, int batch = 1, int gpus = 1) => new()
    {
        Model = FitFixtures.Config("llama-3.1-8b.config.json"),
        Gpu = FitFixtures.Gpu("h100"),
        GpuCount = gpus,
        ContextTokens = context,
        Batch = batch,
        Weights = WeightPrecision.Bf16,
        Kv = KvPrecision.Bf16,
        MemoryUtilization = 0.9m,
        RuntimeOverheadBytesPerGpu = 2 * GiB,
    };

    [Fact]
    public void Llama_8B_on_one_H100_holds_55_sessions_of_8192_tokens()
    {
        var result = FitCalculator.Compute(Llama8BOnH100());

        const long weights = 2 * 8_030_261_248L;   // bf16: 16,060,522,496
        const long usable = 80 * GiB * 9 / 10;      // 80 GiB × 0.9 = 77,309,411,328
        const long pool = usable - weights - 2 * GiB; // 59,101,405,184
        const long session = 131_072L * 8192;       // 1 GiB
        Assert.Equal(weights, result.WeightsBytes);
        Assert.Equal(usable, result.Plan.UsableBytesPerGpu);
        Assert.Equal(pool, result.Plan.KvPoolBytesPerGpu);
        Assert.Equal(session, result.KvBytesPerSession);
        Assert.Equal(pool / session, result.Plan.MaxConcurrentSessions);
        Assert.Equal(55, result.Plan.MaxConcurrentSessions);
        Assert.True(result.Plan.Fits);
        Assert.Equal(1, result.MinGpus);
    }

    [Fact]
    public void A_batch_larger_than_the_pool_does_not_fit_and_more_gpus_are_found()
    {
        var result = FitCalculator.Compute(Llama8BOnH100(context: 131072, batch: 8) with { Alternatives = GpuCatalog.BuiltIn.Gpus });
        // 128k tokens × 131,072 B = 16 GiB per session; the 55.04 GiB pool holds 3.
        Assert.Equal(59_101_405_184L / (131_072L * 131072), result.Plan.MaxConcurrentSessions);
        Assert.Equal(3, result.Plan.MaxConcurrentSessions);
        Assert.False(result.Plan.Fits);
        Assert.Null(result.Plan.DecodeCeiling.PerSessionTokensPerSecond);
        Assert.NotNull(result.Plan.DecodeCeiling.Reason);

        // On 2 GPUs: weights 8,030,261,248 each, KV 4 heads each so 8 GiB per session per GPU;
        // pool = 77,309,411,328 − 8,030,261,248 − 2 GiB = 67,131,666,432 → 7 sessions, still short of 8.
        // On 4 GPUs: weights 4,015,130,624 each, 4 GiB per session; pool = 71,146,797,056 → 16 sessions.
        Assert.Equal(4, result.MinGpus);
        Assert.Equal(71_146_797_056L / (4 * GiB), result.Alternatives.Single(a => a.Gpu.Name == "H100 SXM 80GB").Plan!.MaxConcurrentSessions);
    }

    [Fact]
    public void Llama_405B_on_L4_needs_64_gpus_and_none_at_a_long_context()
    {
        var request = Llama8BOnH100() with { Model = ModelCatalog.BuiltIn.Find("Llama-3.1-405B").Match!.Architecture, Gpu = FitFixtures.Gpu("l4") };
        var result = FitCalculator.Compute(request);

        // 405B: 126 × (attention 570,425,344 + MLP 3 × 16384 × 53248 + norms 32,768) + 2 × 128256 × 16384 + 16384.
        const long parameters = 126 * (570_425_344L + 3 * 16384L * 53248 + 32_768) + 2 * 128256L * 16384 + 16384;
        Assert.Equal(405_853_388_800L, parameters);
        Assert.Equal(2 * parameters, result.WeightsBytes);
        Assert.True(result.Plan.KvPoolBytesPerGpu < 0); // 811.7 GB of weights on one 24 GiB card
        Assert.Equal(0, result.Plan.MaxConcurrentSessions);
        Assert.False(result.Plan.Fits);
        Assert.Null(result.Plan.DecodeCeiling.SingleSessionTokensPerSecond);

        // 32 L4s: 811,706,777,600 / 32 = 25,365,836,800 bytes each > 23,192,823,398 usable. 64 L4s: 12,682,918,400 each,
        // pool 23,192,823,398 − 12,682,918,400 − 2 GiB = 8,362,421,350; one KV head per GPU: 126 × 512 B × 8192 per session.
        Assert.Equal(64, result.MinGpus);
        var at64 = FitCalculator.Compute(request with { GpuCount = 64 }).Plan;
        Assert.Equal(8_362_421_350L, at64.KvPoolBytesPerGpu);
        Assert.Equal(8_362_421_350L / (126L * 512 * 8192), at64.MaxConcurrentSessions);

        // At 128k tokens one session needs 126 × 512 × 131072 = 8,455,716,864 bytes per GPU: more than the pool.
        Assert.Null(FitCalculator.Compute(request with { ContextTokens = 131072 }).MinGpus);
    }

    [Fact]
    public void Decode_ceiling_is_bandwidth_over_bytes_read_per_step()
    {
        var result = FitCalculator.Compute(Llama8BOnH100());
        // Per step one session reads every weight except the untied input embedding (a lookup), plus its KV:
        // 16,060,522,496 − 2 × 525,336,576 + 1,073,741,824 = 16,083,591,168 bytes at 3.35 TB/s.
        const double bytes = 16_060_522_496d - 2 * 525_336_576d + 1_073_741_824d;
        var expected = 3.35e12 / bytes; // ≈ 208.29 tokens/s
        Assert.Equal(expected, result.Plan.DecodeCeiling.PerSessionTokensPerSecond!.Value, 6);
        Assert.Equal(expected, result.Plan.DecodeCeiling.AggregateTokensPerSecond!.Value, 6);
    }

    [Fact]
    public void Batched_decode_shares_the_weight_read_across_sessions()
    {
        var result = FitCalculator.Compute(Llama8BOnH100(batch: 32));
        const double bytes = 15_009_849_344d + 32 * 1_073_741_824d; // weights once, 32 sessions' KV
        Assert.Equal(3.35e12 / bytes, result.Plan.DecodeCeiling.PerSessionTokensPerSecond!.Value, 6);
        Assert.Equal(32 * 3.35e12 / bytes, result.Plan.DecodeCeiling.AggregateTokensPerSecond!.Value, 6);
    }

    [Fact]
    public void Mixture_of_experts_reads_only_the_routed_experts_at_batch_one()
    {
        var model = FitFixtures.Config("mixtral-8x7b.config.json");
        var count = ParameterCounter.Count(model);
        // Batch 1: active parameters minus the untied input embedding, at 2 bytes.
        Assert.Equal(2 * (12_879_925_248d - 32000d * 4096), DecodeCeilingModel.WeightBytesReadPerStep(model, count, WeightPrecision.Bf16, 1), 3);
        // Large batches touch every expert: E × (1 − (6/8)^256) ≈ 8.
        Assert.Equal(2 * (46_702_792_704d - 32000d * 4096), DecodeCeilingModel.WeightBytesReadPerStep(model, count, WeightPrecision.Bf16, 256), 0);
    }

    [Fact]
    public void Utilization_and_overhead_move_the_pool_byte_for_byte()
    {
        var result = FitCalculator.Compute(Llama8BOnH100() with { MemoryUtilization = 0.95m, RuntimeOverheadBytesPerGpu = 0 });
        // 80 GiB × 0.95 = 81,604,378,624 exactly; minus 16,060,522,496 of weights.
        Assert.Equal(81_604_378_624L - 16_060_522_496L, result.Plan.KvPoolBytesPerGpu);
    }

    [Fact]
    public void Alternatives_cover_every_catalogued_gpu()
    {
        var request = Llama8BOnH100() with { Alternatives = GpuCatalog.BuiltIn.Gpus };
        var result = FitCalculator.Compute(request);
        Assert.Equal(GpuCatalog.BuiltIn.Gpus.Count, result.Alternatives.Count);
        // L4: 24 GiB × 0.9 = 23,192,823,398.4 → 23,192,823,398 usable; pool 4,984,817,254 → 4 sessions of 1 GiB.
        var l4 = result.Alternatives.Single(a => a.Gpu.Name == "L4 24GB");
        Assert.Equal(1, l4.MinGpus);
        Assert.Equal((23_192_823_398L - 16_060_522_496L - 2 * GiB) / GiB, l4.Plan!.MaxConcurrentSessions);
    }
}

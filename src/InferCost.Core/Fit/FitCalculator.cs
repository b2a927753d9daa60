namespace InferCost.Core.Fit;

/// <summary>What to fit: a model at a context and batch on a number of GPUs of one type.</summary>
public sealed record FitRequest
{
    public required ModelArchitecture Model { get; init; }

    public required GpuSpec Gpu { get; init; }

    /// <summary>GPUs in one tensor-parallel replica.</summary>
    public int GpuCount { get; init; } = 1;

    /// <summary>Tokens per session (prompt plus output) the cache must hold.</summary>
    public required long ContextTokens { get; init; }

    /// <summary>Concurrent sessions that must fit at <see cref="ContextTokens"/>.</summary>
    public int Batch { get; init; } = 1;

    public required WeightPrecision Weights { get; init; }

    public KvPrecision Kv { get; init; } = KvPrecision.Bf16;

    /// <summary>Share of each GPU's memory the serving stack may use, in (0, 1] (vLLM's gpu_memory_utilization).</summary>
    public decimal MemoryUtilization { get; init; } = 0.9m;

    /// <summary>Memory per GPU taken by the runtime besides weights and cache: CUDA context, activations, graphs.</summary>
    public long RuntimeOverheadBytesPerGpu { get; init; } = DefaultRuntimeOverheadBytesPerGpu;

    /// <summary>The GPUs to compare against in <see cref="FitResult.Alternatives"/>.</summary>
    public IReadOnlyList<GpuSpec> Alternatives { get; init; } = [];

    /// <summary>2 GiB: a CUDA context (~0.5 GiB), activation peak and CUDA graphs of a typical vLLM replica.</summary>
    public const long DefaultRuntimeOverheadBytesPerGpu = 2L * 1024 * 1024 * 1024;
}

/// <summary>The model on one GPU type at one GPU count. Bytes are per GPU unless the name says otherwise.</summary>
public sealed record FitPlan
{
    public required GpuSpec Gpu { get; init; }

    public required int GpuCount { get; init; }

    /// <summary>Whether the count splits attention heads evenly (vLLM's rule: heads divisible by GPUs, and KV heads
    /// divisible by GPUs or GPUs by KV heads).</summary>
    public required bool TensorParallelValid { get; init; }

    /// <summary>Weights per GPU: total weight bytes / GPUs, rounded up.</summary>
    public required long WeightsBytesPerGpu { get; init; }

    public required long KvBytesPerTokenPerGpu { get; init; }

    public required long KvBytesPerSessionPerGpu { get; init; }

    /// <summary>floor(GPU memory × utilization).</summary>
    public required long UsableBytesPerGpu { get; init; }

    /// <summary>Usable − weights − runtime overhead; negative when the weights alone do not fit.</summary>
    public required long KvPoolBytesPerGpu { get; init; }

    /// <summary>floor(pool / KV per session), 0 when the pool is not positive.</summary>
    public required long MaxConcurrentSessions { get; init; }

    /// <summary>The weights fit, the batch fits, and the GPU count is a valid tensor-parallel split.</summary>
    public required bool Fits { get; init; }

    public required DecodeCeiling DecodeCeiling { get; init; }
}

/// <summary>A GPU from the catalog with the fewest of it that fit, and the plan at that count.</summary>
public sealed record GpuAlternative(GpuSpec Gpu, int? MinGpus, FitPlan? Plan);

/// <summary>The answer to "does this model, context and batch fit this hardware?".</summary>
public sealed record FitResult
{
    public required FitRequest Request { get; init; }

    public required ParameterCount Parameters { get; init; }

    public required long WeightsBytes { get; init; }

    /// <summary>KV bytes per token for the whole model on one GPU (no sharding), before any window.</summary>
    public required long KvBytesPerToken { get; init; }

    /// <summary>KV bytes of one session at the context for the whole model on one GPU (no sharding).</summary>
    public required long KvBytesPerSession { get; init; }

    public required FitPlan Plan { get; init; }

    /// <summary>Fewest GPUs of the requested type (up to <see cref="FitCalculator.MaxGpus"/>) that fit, or null.</summary>
    public required int? MinGpus { get; init; }

    public required IReadOnlyList<GpuAlternative> Alternatives { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>Computes fits. Pure and thread-safe.</summary>
public static class FitCalculator
{
    /// <summary>The largest replica searched for the fewest GPUs that fit.</summary>
    public const int MaxGpus = 64;

    public static FitResult Compute(FitRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.GpuCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.ContextTokens, 1L);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Batch, 1);
        if (request.MemoryUtilization is <= 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "MemoryUtilization must be in (0, 1].");
        }

        var model = request.Model;
        var parameters = ParameterCounter.Count(model);
        var weights = WeightBytes.Total(parameters, request.Weights);
        var plan = Plan(request, parameters, request.Gpu, request.GpuCount);
        var warnings = new List<string>();
        if (!plan.TensorParallelValid)
        {
            warnings.Add($"{request.GpuCount} GPUs do not split {model.AttentionHeadCount} attention heads and {model.KvHeadCount} KV heads evenly; serving stacks such as vLLM refuse this tensor-parallel size.");
        }
        if (model.MaxContextTokens is { } max && request.ContextTokens > max)
        {
            warnings.Add($"The context of {request.ContextTokens} tokens exceeds the model's configured {max} (max_position_embeddings); it needs rope scaling the model supports.");
        }
        if (request.Weights is WeightPrecision.Fp8 && request.Gpu.DenseFp8Tflops is null)
        {
            warnings.Add($"{request.Gpu.Name} has no fp8 tensor cores; fp8 weights are stored but computed through conversion (weight-only).");
        }

        return new FitResult
        {
            Request = request,
            Parameters = parameters,
            WeightsBytes = weights,
            KvBytesPerToken = KvCache.BytesPerTokenPerGpu(model, request.Kv, 1),
            KvBytesPerSession = KvCache.BytesPerSessionPerGpu(model, request.Kv, 1, request.ContextTokens),
            Plan = plan,
            MinGpus = MinGpus(request, parameters, request.Gpu)?.GpuCount,
            Alternatives = request.Alternatives
                .Select(gpu => MinGpus(request, parameters, gpu) is { } best
                    ? new GpuAlternative(gpu, best.GpuCount, best)
                    : new GpuAlternative(gpu, null, null))
                .ToArray(),
            Warnings = warnings,
        };
    }

    /// <summary>vLLM's tensor-parallel rule: attention heads divide evenly, and KV heads either divide evenly or are
    /// replicated a whole number of times. Latent attention has no KV heads to split.</summary>
    public static bool IsValidTensorParallel(ModelArchitecture model, int gpus)
    {
        if (model.AttentionHeadCount % gpus != 0)
        {
            return false;
        }
        if (model.Mla is not null)
        {
            return true;
        }
        return gpus <= model.KvHeadCount ? model.KvHeadCount % gpus == 0 : gpus % model.KvHeadCount == 0;
    }

    private static FitPlan? MinGpus(FitRequest request, ParameterCount parameters, GpuSpec gpu)
    {
        for (var gpus = 1; gpus <= MaxGpus; gpus++)
        {
            if (!IsValidTensorParallel(request.Model, gpus))
            {
                continue;
            }
            var plan = Plan(request, parameters, gpu, gpus);
            if (plan.Fits)
            {
                return plan;
            }
        }
        return null;
    }

    private static FitPlan Plan(FitRequest request, ParameterCount parameters, GpuSpec gpu, int gpus)
    {
        var model = request.Model;
        var weights = WeightBytes.Total(parameters, request.Weights);
        var weightsPerGpu = (weights + gpus - 1) / gpus;
        var kvPerSession = KvCache.BytesPerSessionPerGpu(model, request.Kv, gpus, request.ContextTokens);
        var usable = (long)decimal.Floor(gpu.MemoryBytes * request.MemoryUtilization);
        var pool = usable - weightsPerGpu - request.RuntimeOverheadBytesPerGpu;
        var sessions = pool > 0 && kvPerSession > 0 ? pool / kvPerSession : 0;
        var validSplit = IsValidTensorParallel(model, gpus);
        var fits = validSplit && pool > 0 && sessions >= request.Batch;
        return new FitPlan
        {
            Gpu = gpu,
            GpuCount = gpus,
            TensorParallelValid = validSplit,
            WeightsBytesPerGpu = weightsPerGpu,
            KvBytesPerTokenPerGpu = KvCache.BytesPerTokenPerGpu(model, request.Kv, gpus),
            KvBytesPerSessionPerGpu = kvPerSession,
            UsableBytesPerGpu = usable,
            KvPoolBytesPerGpu = pool,
            MaxConcurrentSessions = sessions,
            Fits = fits,
            DecodeCeiling = DecodeCeilingModel.Compute(request, parameters, gpu, gpus, kvPerSession, sessions),
        };
    }
}

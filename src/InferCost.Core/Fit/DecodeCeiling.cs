namespace InferCost.Core.Fit;

/// <summary>A bandwidth-bound decode ceiling: the tokens per second memory bandwidth alone allows, a physical upper
/// bound that real serving (compute, communication, scheduling) stays below. Used by cost curves when no measured
/// row exists.</summary>
/// <param name="Batch">Concurrent sessions the figures are for.</param>
/// <param name="BytesReadPerStepPerGpu">Bytes each GPU reads per decode step: its share of the weights the batch
/// touches plus every session's KV at the full context.</param>
/// <param name="PerSessionTokensPerSecond">Tokens per second each session gets at <paramref name="Batch"/>.</param>
/// <param name="AggregateTokensPerSecond">Tokens per second of the whole batch.</param>
/// <param name="SingleSessionTokensPerSecond">Tokens per second of a lone session (batch 1).</param>
/// <param name="Reason">Why the figures are null, when they are.</param>
public sealed record DecodeCeiling(
    int Batch,
    long? BytesReadPerStepPerGpu,
    double? PerSessionTokensPerSecond,
    double? AggregateTokensPerSecond,
    double? SingleSessionTokensPerSecond,
    string? Reason)
{
    public const string Basis =
        "physical upper bound: memory bandwidth / bytes read per decode step (weights the batch touches, split across GPUs, " +
        "plus each session's KV cache at the full context); compute, interconnect and scheduling are ignored";
}

/// <summary>Computes <see cref="DecodeCeiling"/>. Pure and thread-safe.</summary>
public static class DecodeCeilingModel
{
    /// <summary>Weight bytes one decode step reads for <paramref name="batch"/> sessions, across all GPUs. The input
    /// embedding is a lookup (one row per token), so an untied table is not read; routed experts are read only when
    /// some token of the batch is sent to them: under uniform routing, E × (1 − (1 − k/E)^batch) experts per layer.</summary>
    public static double WeightBytesReadPerStep(ModelArchitecture model, ParameterCount parameters, WeightPrecision precision, int batch)
    {
        var all = (double)WeightBytes.Total(parameters, precision);
        if (parameters.OutputHead > 0)
        {
            all -= 2.0 * parameters.InputEmbedding;
        }
        if (model.Moe is { } moe && parameters.RoutedExperts > 0)
        {
            var expertBytes = (double)WeightBytes.Linear(parameters.PerRoutedExpert, precision);
            var experts = (double)moe.ExpertCount;
            var touched = experts * (1 - Math.Pow(1 - moe.ExpertsPerToken / experts, batch));
            all -= expertBytes * experts * moe.MoeLayerCount;
            all += expertBytes * touched * moe.MoeLayerCount;
        }
        return all;
    }

    internal static DecodeCeiling Compute(FitRequest request, ParameterCount parameters, GpuSpec gpu, int gpus, long kvPerSessionPerGpu, long maxSessions)
    {
        var batch = request.Batch;
        if (gpu.MemoryBandwidthBytesPerSecond <= 0)
        {
            return new DecodeCeiling(batch, null, null, null, null, $"{gpu.Name} has no memory bandwidth in the catalog");
        }
        if (maxSessions < 1)
        {
            return new DecodeCeiling(batch, null, null, null, null,
                $"no session of {request.ContextTokens} tokens fits on {gpus} × {gpu.Name}");
        }

        double Step(int sessions) =>
            WeightBytesReadPerStep(request.Model, parameters, request.Weights, sessions) / gpus + (double)sessions * kvPerSessionPerGpu;

        var single = gpu.MemoryBandwidthBytesPerSecond / Step(1);
        if (maxSessions < batch)
        {
            return new DecodeCeiling(batch, null, null, null, single,
                $"the batch of {batch} does not fit (at most {maxSessions} sessions of {request.ContextTokens} tokens)");
        }
        var bytes = Step(batch);
        var perSession = gpu.MemoryBandwidthBytesPerSecond / bytes;
        return new DecodeCeiling(batch, (long)Math.Ceiling(bytes), perSession, perSession * batch, single, null);
    }
}

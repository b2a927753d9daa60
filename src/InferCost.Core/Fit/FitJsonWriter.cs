using System.Text;
using System.Text.Json;

namespace InferCost.Core.Fit;

/// <summary>Writes a <see cref="FitResult"/> as JSON, schema <c>infercost.fit/v1</c>: camelCase keys, bytes as
/// integers, never NaN or Infinity (an undefined figure is null with a reason). Stateless and thread-safe.</summary>
public static class FitJsonWriter
{
    public const string Schema = "infercost.fit/v1";

    public static void Write(FitResult result, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var request = result.Request;
            var model = request.Model;
            var plan = result.Plan;
            json.WriteStartObject();
            json.WriteString("schema", Schema);

            json.WriteStartObject("model");
            json.WriteString("name", model.Name);
            json.WriteString("source", model.Source);
            json.WriteString("modelType", model.ModelType);
            json.WriteNumber("parameters", result.Parameters.Total);
            json.WriteNumber("activeParameters", result.Parameters.ActivePerToken);
            json.WriteNumber("kvBytesPerToken", result.KvBytesPerToken);
            json.WriteString("attention", model.Attention.ToString().ToLowerInvariant());
            json.WriteNumber("layers", model.LayerCount);
            json.WriteNumber("attentionHeads", model.AttentionHeadCount);
            if (model.Mla is { } mla)
            {
                json.WriteNull("kvHeads");
                json.WriteNumber("kvLoraRank", mla.KvLoraRank);
                json.WriteNumber("qkRopeHeadDim", mla.QkRopeHeadDim);
            }
            else
            {
                json.WriteNumber("kvHeads", model.KvHeadCount);
                json.WriteNumber("headDim", model.HeadDim);
            }
            WriteNullable(json, "slidingWindowTokens", model.SlidingWindowTokens);
            json.WriteNumber("slidingLayers", model.SlidingLayerCount);
            if (model.Moe is { } moe)
            {
                json.WriteNumber("experts", moe.ExpertCount);
                json.WriteNumber("expertsPerToken", moe.ExpertsPerToken);
                json.WriteNumber("sharedExperts", moe.SharedExpertCount);
            }
            WriteNullable(json, "maxContextTokens", model.MaxContextTokens);
            json.WriteEndObject();

            json.WritePropertyName("gpu");
            WriteGpu(json, request.Gpu);
            json.WriteNumber("gpus", request.GpuCount);
            json.WriteNumber("contextTokens", request.ContextTokens);
            json.WriteNumber("batch", request.Batch);
            json.WriteString("weightsPrecision", PrecisionFormat.Name(request.Weights));
            json.WriteString("kvPrecision", PrecisionFormat.Name(request.Kv));
            json.WriteNumber("memoryUtilization", request.MemoryUtilization);
            json.WriteNumber("runtimeOverheadBytesPerGpu", request.RuntimeOverheadBytesPerGpu);

            json.WriteNumber("weightsBytes", result.WeightsBytes);
            json.WriteNumber("weightsBytesPerGpu", plan.WeightsBytesPerGpu);
            json.WriteNumber("kvBytesPerSession", result.KvBytesPerSession);
            json.WriteNumber("kvBytesPerTokenPerGpu", plan.KvBytesPerTokenPerGpu);
            json.WriteNumber("kvBytesPerSessionPerGpu", plan.KvBytesPerSessionPerGpu);
            json.WriteNumber("usableBytesPerGpu", plan.UsableBytesPerGpu);
            json.WriteNumber("kvPoolBytesPerGpu", plan.KvPoolBytesPerGpu);
            json.WriteNumber("kvPoolBytes", plan.KvPoolBytesPerGpu * plan.GpuCount);
            json.WriteNumber("maxConcurrentSessions", plan.MaxConcurrentSessions);
            json.WriteBoolean("fits", plan.Fits);
            json.WriteBoolean("tensorParallelValid", plan.TensorParallelValid);
            WriteNullable(json, "minGpus", result.MinGpus);
            if (result.MinGpus is null)
            {
                json.WriteString("minGpusReason", $"no valid tensor-parallel size up to {FitCalculator.MaxGpus} GPUs of this type fits");
            }
            WriteCeiling(json, plan.DecodeCeiling);

            json.WriteStartArray("alternatives");
            foreach (var alternative in result.Alternatives)
            {
                json.WriteStartObject();
                json.WriteString("gpu", alternative.Gpu.Name);
                WriteNullable(json, "minGpus", alternative.MinGpus);
                if (alternative.Plan is { } best)
                {
                    json.WriteNumber("weightsBytesPerGpu", best.WeightsBytesPerGpu);
                    json.WriteNumber("kvPoolBytesPerGpu", best.KvPoolBytesPerGpu);
                    json.WriteNumber("maxConcurrentSessions", best.MaxConcurrentSessions);
                    WriteCeiling(json, best.DecodeCeiling);
                }
                else
                {
                    json.WriteString("reason", $"no valid tensor-parallel size up to {FitCalculator.MaxGpus} GPUs fits");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartArray("assumptions");
            foreach (var assumption in Assumptions(result))
            {
                json.WriteStringValue(assumption);
            }
            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in result.Warnings)
            {
                json.WriteStringValue(warning);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        output.WriteLine();
    }

    /// <summary>The assumptions behind every figure, printed with the result.</summary>
    public static IReadOnlyList<string> Assumptions(FitResult result) =>
    [
        "Weights: linear layers at the weights precision; embeddings, output head, norms, biases and routers at 16 bits; quantization scales not counted.",
        "Tensor parallelism: weights split evenly across the GPUs; KV heads per GPU = max(1, kvHeads / GPUs); a latent-attention cache is replicated on every GPU.",
        $"KV pool per GPU = GPU memory × {result.Request.MemoryUtilization.ToString(System.Globalization.CultureInfo.InvariantCulture)} − weights per GPU − {result.Request.RuntimeOverheadBytesPerGpu} bytes runtime overhead (CUDA context, activations, graphs).",
        "Sessions: each holds the full context in every full-attention layer and at most the window in sliding-window layers; paging granularity is ignored.",
        "GPU memory: the catalog's GiB (vendors' GB for GPU memory is binary).",
        $"Decode ceiling: {DecodeCeiling.Basis}; MoE experts touched assume uniform routing.",
    ];

    private static void WriteGpu(Utf8JsonWriter json, GpuSpec gpu)
    {
        json.WriteStartObject();
        json.WriteString("name", gpu.Name);
        json.WriteString("vendor", gpu.Vendor);
        json.WriteNumber("memoryBytes", gpu.MemoryBytes);
        json.WriteNumber("memoryBandwidthBytesPerSecond", gpu.MemoryBandwidthBytesPerSecond);
        WriteNullable(json, "denseBf16Tflops", gpu.DenseBf16Tflops);
        WriteNullable(json, "denseFp8Tflops", gpu.DenseFp8Tflops);
        WriteNullable(json, "boardPowerW", gpu.BoardPowerW);
        json.WriteString("source", gpu.Source);
        json.WriteString("effectiveDate", gpu.EffectiveDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    private static void WriteCeiling(Utf8JsonWriter json, DecodeCeiling ceiling)
    {
        WriteNullable(json, "decodeCeilingTokensPerSecond", Round(ceiling.PerSessionTokensPerSecond));
        WriteNullable(json, "decodeCeilingAggregateTokensPerSecond", Round(ceiling.AggregateTokensPerSecond));
        WriteNullable(json, "decodeCeilingSingleSessionTokensPerSecond", Round(ceiling.SingleSessionTokensPerSecond));
        if (ceiling.Reason is not null)
        {
            json.WriteString("decodeCeilingReason", ceiling.Reason);
        }
    }

    private static double? Round(double? value) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, 2, MidpointRounding.AwayFromZero) : null;

    private static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

using System.Globalization;

namespace InferCost.Core.Fit;

/// <summary>Writes a <see cref="FitResult"/> as plain text for a terminal: the answer first, then the figures, then
/// every catalog GPU. Invariant culture throughout. Stateless and thread-safe.</summary>
public static class FitTableWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(FitResult result, TextWriter output)
    {
        var request = result.Request;
        var model = request.Model;
        var plan = result.Plan;
        var verdict = plan.Fits ? "FITS" : "DOES NOT FIT";
        output.WriteLine($"{verdict}: {model.Name} on {request.GpuCount} × {request.Gpu.Name}, {N(request.ContextTokens)} tokens of context, batch {request.Batch}");
        output.WriteLine();

        var moe = model.Moe is { } m ? $", {m.ExpertCount} experts ({m.ExpertsPerToken} per token)" : string.Empty;
        var window = model.SlidingWindowTokens is { } w ? $", {model.SlidingLayerCount} of {model.LayerCount} layers with a {N(w)}-token window" : string.Empty;
        Line(output, "Model", $"{model.Name} ({model.Source})");
        Line(output, "Parameters", $"{N(result.Parameters.Total)} total, {N(result.Parameters.ActivePerToken)} active per token{moe}");
        Line(output, "Attention", $"{model.Attention.ToString().ToUpperInvariant()}, {model.LayerCount} layers{KvShape(model)}{window}");
        Line(output, "Weights", $"{Bytes(result.WeightsBytes)} at {PrecisionFormat.Name(request.Weights)}; {Bytes(plan.WeightsBytesPerGpu)} per GPU");
        Line(output, "KV cache", $"{N(result.KvBytesPerToken)} B per token at {PrecisionFormat.Name(request.Kv)}; {Bytes(result.KvBytesPerSession)} per session");
        if (request.GpuCount > 1)
        {
            Line(output, "KV per GPU", $"{N(plan.KvBytesPerTokenPerGpu)} B per token; {Bytes(plan.KvBytesPerSessionPerGpu)} per session");
        }
        Line(output, "KV pool per GPU", $"{Bytes(plan.KvPoolBytesPerGpu)} = {Bytes(request.Gpu.MemoryBytes)} × {request.MemoryUtilization.ToString(Invariant)} − weights − {Bytes(request.RuntimeOverheadBytesPerGpu)} runtime overhead");
        Line(output, "Max sessions", $"{N(plan.MaxConcurrentSessions)} concurrent at {N(request.ContextTokens)} tokens (batch {request.Batch} {(plan.MaxConcurrentSessions >= request.Batch ? "fits" : "does not fit")})");
        Line(output, "Fewest GPUs", result.MinGpus is { } min ? $"{min} × {request.Gpu.Name}" : $"none up to {FitCalculator.MaxGpus}");
        Line(output, "Decode ceiling", Ceiling(plan.DecodeCeiling));
        foreach (var warning in result.Warnings)
        {
            Line(output, "Warning", warning);
        }

        output.WriteLine();
        output.WriteLine($"Every catalogued GPU at this context and batch (fewest GPUs that fit):");
        var rows = new List<string[]> { new[] { "GPU", "GPUs", "weights/GPU", "KV pool/GPU", "max sessions", "tok/s/session", "tok/s total" } };
        foreach (var alternative in result.Alternatives)
        {
            rows.Add(alternative.Plan is { } p
                ? [alternative.Gpu.Name, p.GpuCount.ToString(Invariant), Bytes(p.WeightsBytesPerGpu), Bytes(p.KvPoolBytesPerGpu), N(p.MaxConcurrentSessions),
                    Rate(p.DecodeCeiling.PerSessionTokensPerSecond), Rate(p.DecodeCeiling.AggregateTokensPerSecond)]
                : [alternative.Gpu.Name, $">{FitCalculator.MaxGpus}", "-", "-", "-", "-", "-"]);
        }
        WriteRows(output, rows);
        output.WriteLine();
        output.WriteLine("Decode ceilings are physical upper bounds from memory bandwidth, not measurements.");
    }

    private static string KvShape(ModelArchitecture model) => model.Mla is { } mla
        ? $", latent {mla.KvLoraRank} + rotary {mla.QkRopeHeadDim} per layer (num_key_value_heads {model.KvHeadCount} not cached)"
        : $", {model.AttentionHeadCount} query heads, {model.KvHeadCount} KV heads × head_dim {model.HeadDim}";

    private static string Ceiling(DecodeCeiling ceiling) => ceiling.PerSessionTokensPerSecond is { } perSession
        ? $"{Rate(perSession)} tok/s per session, {Rate(ceiling.AggregateTokensPerSecond)} tok/s for the batch of {ceiling.Batch} (bandwidth-bound upper bound)"
        : ceiling.SingleSessionTokensPerSecond is { } single
            ? $"n/a: {ceiling.Reason}; a lone session: {Rate(single)} tok/s"
            : $"n/a: {ceiling.Reason}";

    private static void Line(TextWriter output, string label, string text) => output.WriteLine($"  {label,-18}{text}");

    private static void WriteRows(TextWriter output, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            output.WriteLine("  " + string.Join("  ", cells).TrimEnd());
        }
    }

    private static string N(long value) => value.ToString("N0", Invariant);

    private static string Rate(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("N1", Invariant) : "-";

    /// <summary>Bytes as GiB with two decimals; negative values (weights that do not fit) keep their sign.</summary>
    private static string Bytes(long bytes) => (bytes / 1_073_741_824.0).ToString("N2", Invariant) + " GiB";
}

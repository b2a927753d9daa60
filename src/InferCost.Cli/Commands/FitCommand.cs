using System.CommandLine;
using System.Globalization;
using InferCost.Core.Fit;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost fit</c>: does the model, KV cache, batch and context fit the planned hardware?</summary>
internal static class FitCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CommandContext context)
    {
        var model = new Option<string>("--model") { Description = "A catalog model name, a Hugging Face config.json, or a .gguf file (only its header is read)." };
        var gpu = new Option<string>("--gpu") { Description = "A catalog GPU name, e.g. h100, h200, b200, a100, l40s, l4, mi300x." };
        var gpus = NumberOptions.Whole("--gpus", "GPUs in one tensor-parallel replica.", 1, min: 1, max: 1024);
        var contextTokens = new Option<string>("--context") { Description = "Tokens per session (prompt + output); a k suffix multiplies by 1024 (128k = 131072)." };
        var batch = NumberOptions.Whole("--batch", "Concurrent sessions that must fit at that context.", 1, min: 1, max: int.MaxValue);
        var weights = new Option<string>("--weights") { Description = "Weight precision: bf16|fp16|fp8|int8|int4 (default: the checkpoint's own)." };
        weights.AcceptOnlyFromAmong("bf16", "fp16", "fp8", "int8", "int4");
        var kv = new Option<string>("--kv") { Description = "KV-cache precision: bf16|fp16|fp8.", DefaultValueFactory = _ => "bf16" };
        kv.AcceptOnlyFromAmong("bf16", "fp16", "fp8");
        var utilization = new Option<string>("--memory-utilization") { Description = "Share of GPU memory the server may use, in (0, 1].", DefaultValueFactory = _ => "0.9" };
        var overhead = new Option<string>("--overhead-gib") { Description = "Runtime memory per GPU besides weights and KV cache, in GiB.", DefaultValueFactory = _ => "2" };
        var format = new Option<string>("--format") { Description = "Output format: table|json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var list = new Option<bool>("--list") { Description = "List the catalog's models and GPUs, then exit." };

        var command = new Command("fit",
            "Memory and context fit: weights + KV cache vs GPU memory, max concurrent sessions, fewest GPUs, and a bandwidth-bound decode ceiling.\n" +
            "Exit code 1 when the model and batch do not fit.\n" +
            "Example: infercost fit --model Llama-3.1-70B --gpu h100 --gpus 4 --context 32768 --batch 16 --weights fp8")
        {
            model, gpu, gpus, contextTokens, batch, weights, kv, utilization, overhead, format, list,
        };

        command.SetAction(parsed =>
        {
            if (parsed.GetValue(list))
            {
                WriteList(context.Out);
                return ExitCodes.Success;
            }
            var modelText = parsed.GetValue(model);
            var gpuText = parsed.GetValue(gpu);
            var contextText = parsed.GetValue(contextTokens);
            if (string.IsNullOrWhiteSpace(modelText) || string.IsNullOrWhiteSpace(gpuText) || string.IsNullOrWhiteSpace(contextText))
            {
                return Usage(context, "--model, --gpu and --context are required (or --list to see the catalog)");
            }
            if (!TokenCount.TryParse(contextText, out var tokens))
            {
                return Usage(context, $"--context '{contextText}' is not a whole number of tokens ≥ 1 (e.g. 8192 or 128k)");
            }
            var gpuCount = parsed.GetValue(gpus);
            if (gpuCount is < 1 or > 1024)
            {
                return Usage(context, $"--gpus {gpuCount} must be between 1 and 1024");
            }
            var batchSize = parsed.GetValue(batch);
            if (batchSize < 1)
            {
                return Usage(context, $"--batch {batchSize} must be at least 1");
            }
            var utilizationText = parsed.GetValue(utilization)!;
            if (!decimal.TryParse(utilizationText, NumberStyles.AllowDecimalPoint, Invariant, out var share) || share <= 0m || share > 1m)
            {
                return Usage(context, $"--memory-utilization '{utilizationText}' must be a number in (0, 1] with a '.' decimal point");
            }
            var overheadText = parsed.GetValue(overhead)!;
            if (!decimal.TryParse(overheadText, NumberStyles.AllowDecimalPoint, Invariant, out var overheadGiB) || overheadGiB > 1024m)
            {
                return Usage(context, $"--overhead-gib '{overheadText}' must be a number of GiB ≥ 0 with a '.' decimal point");
            }

            var gpuMatch = GpuCatalog.BuiltIn.Find(gpuText);
            if (gpuMatch.Match is null)
            {
                return Usage(context, $"--gpu '{gpuText}' is not in the GPU catalog; {Suggest(gpuMatch.CloseMatches, GpuCatalog.BuiltIn.Gpus.Select(g => g.Name))}");
            }

            var (architecture, exit) = ResolveModel(context, modelText);
            if (architecture is null)
            {
                return exit;
            }

            WeightPrecision weightPrecision = architecture.NativeWeights;
            if (parsed.GetValue(weights) is { } weightsText)
            {
                PrecisionFormat.TryParseWeights(weightsText, out weightPrecision);
            }
            PrecisionFormat.TryParseKv(parsed.GetValue(kv)!, out var kvPrecision);

            var request = new FitRequest
            {
                Model = architecture,
                Gpu = gpuMatch.Match,
                GpuCount = gpuCount,
                ContextTokens = tokens,
                Batch = batchSize,
                Weights = weightPrecision,
                Kv = kvPrecision,
                MemoryUtilization = share,
                RuntimeOverheadBytesPerGpu = (long)(overheadGiB * 1_073_741_824m),
                Alternatives = GpuCatalog.BuiltIn.Gpus,
            };
            var result = FitCalculator.Compute(request);
            if (parsed.GetValue(format) == "json")
            {
                FitJsonWriter.Write(result, context.Out);
            }
            else
            {
                FitTableWriter.Write(result, context.Out);
            }
            return result.Plan.Fits ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return command;
    }

    private static (ModelArchitecture? Model, int Exit) ResolveModel(CommandContext context, string value)
    {
        var catalogMatch = ModelCatalog.BuiltIn.Find(value);
        if (catalogMatch.Match is { } entry)
        {
            return (entry.Architecture, ExitCodes.Success);
        }
        var extension = Path.GetExtension(value).ToLowerInvariant();
        var looksLikePath = extension is ".json" or ".gguf" || value.Contains(Path.DirectorySeparatorChar) || value.Contains('/') || File.Exists(value);
        if (!looksLikePath)
        {
            return (null, Usage(context, $"--model '{value}' is not in the model catalog and is not a file; {Suggest(catalogMatch.CloseMatches, ModelCatalog.BuiltIn.Models.Select(m => m.Name))}"));
        }
        if (Directory.Exists(value) && File.Exists(Path.Combine(value, "config.json")))
        {
            value = Path.Combine(value, "config.json");
        }
        FitReadResult<ModelArchitecture> read;
        try
        {
            using var stream = new FileStream(value, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            read = ModelFileReader.Read(stream, value, expectGguf: extension == ".gguf");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read: {ex.Message}";
            context.Err.WriteLine($"infercost fit: model file '{value}' {reason}.");
            return (null, ExitCodes.Environment);
        }
        foreach (var diagnostic in read.Diagnostics)
        {
            var prefix = diagnostic.Severity == FitSeverity.Warning ? "warning: " : string.Empty;
            context.Err.WriteLine($"infercost fit: {prefix}{diagnostic}");
        }
        return read.Succeeded ? (read.Value, ExitCodes.Success) : (null, ExitCodes.Invalid);
    }

    private static string Suggest(IReadOnlyList<string> close, IEnumerable<string> all) => close.Count > 0
        ? $"close matches: {string.Join(", ", close)}"
        : $"known names: {string.Join(", ", all)}";

    private static int Usage(CommandContext context, string message)
    {
        context.Err.WriteLine($"infercost fit: {message}.");
        return ExitCodes.Usage;
    }

    private static void WriteList(TextWriter output)
    {
        output.WriteLine($"Models (catalog/models.json, version {ModelCatalog.BuiltIn.Version}):");
        foreach (var entry in ModelCatalog.BuiltIn.Models)
        {
            output.WriteLine($"  {entry.Name,-24}{entry.Source}");
        }
        output.WriteLine($"GPUs (catalog/gpus.json, version {GpuCatalog.BuiltIn.Version}):");
        foreach (var spec in GpuCatalog.BuiltIn.Gpus)
        {
            output.WriteLine($"  {spec.Name,-24}{spec.Source}");
        }
    }
}

using System.CommandLine;
using InferCost.Core.Importers;
using InferCost.Ledger;

namespace InferCost.Cli;

/// <summary>The import-format flags (<c>--format</c> or <c>--input-format</c>, and the fill-ins) and how files become
/// ledger sources: the format is detected by content unless named, each file says what was chosen, and the fields
/// filled from flags or the <c>--mapping</c> file are collected per file so the command can declare them.</summary>
internal sealed class ImportInputs
{
    public readonly Option<string> Format;
    public readonly Option<string?> Route = new("--route") { Description = "Route for formats that do not log it (e.g. self-hosted, managed)." };
    public readonly Option<string?> Workload = new("--workload") { Description = "Workload for formats that do not log it." };
    public readonly Option<string?> Provider = new("--provider") { Description = "Provider for formats that do not log it." };
    public readonly Option<string?> Model = new("--model") { Description = "Model for formats that do not log it (llmperf, AIPerf)." };
    public readonly Option<long?> Concurrency = NumberOptions.Whole("--concurrency",
        "Concurrency of the run, for formats that do not state it (llmperf, AIPerf's per-request export, vLLM bench at a request rate): " +
        "a fixed-concurrency run is then one group. A concurrency the file states wins (a different flag is a warning).", min: 1);
    public readonly Option<bool> IncludeWarmup = new("--include-warmup")
    {
        Description = "Keep the requests a tool marks as warm-up or cool-down (GuideLLM outside its measured window, AIPerf's warmup phase); " +
                      "by default only the measured requests are imported, as the tool's own metrics count them.",
    };
    public readonly Option<string?> Mapping = new("--mapping")
    {
        Description = "JSON file giving route, workload and provider per model for formats that do not log them: " +
                      "{\"defaults\": {…}, \"models\": {\"gpt-4o-mini\": {\"route\": \"managed\", …}}}. " +
                      "A value in the file wins, then the model's entry, then --route/--workload/--provider, then the mapping's defaults.",
    };

    /// <summary>Fields filled rather than read, per file path.</summary>
    public Dictionary<string, IReadOnlyCollection<string>> Filled { get; } = new(StringComparer.Ordinal);

    private readonly string _formatFlag;

    public ImportInputs(string formatFlag)
    {
        _formatFlag = formatFlag;
        Format = new Option<string>(formatFlag)
        {
            Description = "Input format: " + string.Join("|", ImportFormats.Names) + " (default auto: detected by content).",
            DefaultValueFactory = _ => ImportFormats.Auto,
        };
        Format.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!ImportFormats.IsKnown(value))
            {
                r.AddError($"{formatFlag} must be one of {string.Join(", ", ImportFormats.Names)}, not \"{value}\".");
            }
        });
    }

    private bool _fillFlags;

    /// <summary>Adds the format flag and <c>--mapping</c>, and with <paramref name="fillFlags"/> the one-value fill-ins
    /// (<c>--route</c>, <c>--workload</c>, …), which commands with flags of those names leave out.</summary>
    public void AddTo(Command command, bool fillFlags = true)
    {
        _fillFlags = fillFlags;
        command.Options.Add(Format);
        if (fillFlags)
        {
            command.Options.Add(Route);
            command.Options.Add(Workload);
            command.Options.Add(Provider);
            command.Options.Add(Model);
            command.Options.Add(Concurrency);
            command.Options.Add(IncludeWarmup);
        }
        command.Options.Add(Mapping);
    }

    /// <summary>The flags given that only apply to files (for a command reading the ledger instead).</summary>
    public IEnumerable<string> FileOnlyFlagsGiven(ParseResult parse)
    {
        if (parse.GetResult(Format) is { Implicit: false })
        {
            yield return _formatFlag;
        }
        if (parse.GetValue(Mapping) is not null)
        {
            yield return "--mapping";
        }
    }

    /// <summary>Sources for the files, or null after printing why (exit code in <paramref name="exitCode"/>).</summary>
    public IReadOnlyList<ImportSource>? Resolve(IReadOnlyList<string> paths, ParseResult? parse, CommandContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        FillMapping? mapping = null;
        if (parse?.GetValue(Mapping) is { } mappingPath)
        {
            // Read before the inputs are hashed: a bad mapping stops the command before any work.
            mapping = LoadMapping(mappingPath, context, out exitCode);
            if (mapping is null)
            {
                return null;
            }
        }
        var sources = InputFiles.Resolve(paths, context, hash: true);
        if (sources is null)
        {
            exitCode = ExitCodes.Environment;
            return null;
        }
        var named = parse?.GetValue(Format) ?? ImportFormats.Auto;
        var fillIns = parse is null
            ? new FillIns()
            : _fillFlags
                ? new FillIns(parse.GetValue(Route), parse.GetValue(Workload), parse.GetValue(Provider), parse.GetValue(Model), parse.GetValue(Concurrency), mapping,
                    parse.GetValue(IncludeWarmup))
                : new FillIns(null, null, null, null, null, mapping);
        var result = new List<ImportSource>();
        var undetectable = false;
        foreach (var source in sources)
        {
            var format = ImportFormats.Choose(named, () => InputFiles.Probe(source.Path));
            if (format is null)
            {
                context.Err.WriteLine(ImportFormats.Undetectable(source.Path, _formatFlag));
                undetectable = true;
                continue;
            }
            if (named == ImportFormats.Auto && format != ImportFormats.Contract)
            {
                context.Err.WriteLine($"{source.Path}: format auto: read as {ImportFormats.Describe(format)}.");
            }
            result.Add(ImportSourceFormats.WithFormat(source, format, fillIns, (path, filled) => Filled[path] = filled));
        }
        if (undetectable)
        {
            exitCode = ExitCodes.Invalid;
            return null;
        }
        return result;
    }

    /// <summary>The mapping file parsed, or null after printing why: exit 3 when it cannot be read (as for --catalog),
    /// 1 when its content is invalid, one sentence per problem with line, column and JSON path.</summary>
    private static FillMapping? LoadMapping(string path, CommandContext context, out int exitCode)
    {
        if (FlagFile.TryReadBytes(path, context) is not { } bytes)
        {
            exitCode = ExitCodes.Environment;
            return null;
        }
        var result = FillMapping.Parse(bytes, path);
        foreach (var diagnostic in result.Diagnostics)
        {
            context.Err.WriteLine(diagnostic.ToSentence(path));
        }
        exitCode = result.Mapping is null ? ExitCodes.Invalid : ExitCodes.Success;
        return result.Mapping;
    }

    /// <summary>One line per file that had fields filled rather than read.</summary>
    public void PrintFilled(TextWriter writer)
    {
        foreach (var (path, filled) in Filled.Where(f => f.Value.Count > 0))
        {
            writer.WriteLine($"{path}: filled, not read from the file: {string.Join("; ", filled)}");
        }
    }
}

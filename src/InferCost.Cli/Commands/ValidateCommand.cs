using System.CommandLine;
using InferCost.Core.Reading;
using InferCost.Ledger;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost validate</c>: reads files exactly as <c>import</c> would — the same format detection, the same
/// reader per format, the same fill-ins — and reports every problem, without touching a ledger. (It used to know
/// contract rows only, so every request-events file was "invalid" though import took it.)</summary>
internal static class ValidateCommand
{
    public static Command Create(CommandContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "Trace files: contract rows, request events, or a tool's or provider's log (as import reads them).", Arity = ArgumentArity.OneOrMore };
        var format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json);
        var inputs = new ImportInputs("--input-format");
        var command = new Command("validate", "Check trace files as import would read them; report every problem with file, line, column and value. Nothing is imported.\n" +
            "Example: infercost validate traces.csv more.jsonl\n" +
            "Example: infercost validate vllm-result.json --route self-hosted --workload support")
        {
            files, format,
        };
        inputs.AddTo(command);
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(format), inputs, parse, context));
        return command;
    }

    /// <summary>Validates files with no fill-in flags (the demo checks the kit's template this way).</summary>
    internal static int Run(string[] paths, OutputFormat format, CommandContext context) =>
        Run(paths, format, new ImportInputs("--input-format"), null, context);

    private static int Run(string[] paths, OutputFormat format, ImportInputs inputs, ParseResult? parse, CommandContext context)
    {
        var sources = inputs.Resolve(paths, parse, context, out var exit);
        if (sources is null)
        {
            return exit;
        }
        var results = new List<(ImportSource Source, TraceFileResult Result)>();
        foreach (var source in sources)
        {
            using var stream = source.Open();
            var result = source.Reader is { } reader
                ? reader(stream, source.Path, static (_, _) => { }, static (_, _) => { })
                : TraceReader.Read(stream, source.Path, source.Format, static (_, _) => { });
            results.Add((source, result));
        }
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, InferCost.Reports.ValidationJson.Document(results.Select(r => r.Result).ToList()));
        }
        else
        {
            ValidationReport.PrintSentences(results.Select(r => r.Result), context);
            foreach (var (source, result) in results)
            {
                var what = source.Reader is null ? "rows" : "records";
                var verdict = result.IsValid ? "valid" : $"invalid ({result.Diagnostics.ErrorCount} errors)";
                context.Out.WriteLine($"{result.Path}: {source.FormatName ?? TraceFormats.Name(result.Format)}, {result.DataRows} {what}, {verdict}");
            }
            inputs.PrintFilled(context.Out);
        }
        return results.All(r => r.Result.IsValid) ? ExitCodes.Success : ExitCodes.Invalid;
    }
}

using System.CommandLine;
using InferCost.Core.Reading;

namespace InferCost.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(CommandContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "Trace files: CSV, JSON or JSON Lines.", Arity = ArgumentArity.OneOrMore };
        var format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json);
        var command = new Command("validate", "Check trace files against the Trace Kit contract; report every problem with file, line, column and value.\nExample: infercost validate traces.csv more.jsonl")
        {
            files, format,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(format), context));
        return command;
    }

    internal static int Run(string[] paths, OutputFormat format, CommandContext context)
    {
        var sources = InputFiles.Resolve(paths, context, hash: false);
        if (sources is null)
        {
            return ExitCodes.Environment;
        }
        var results = new List<TraceFileResult>();
        foreach (var source in sources)
        {
            using var stream = source.Open();
            results.Add(TraceReader.Read(stream, source.Path, source.Format, static (_, _) => { }));
        }
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, InferCost.Reports.ValidationJson.Document(results));
        }
        else
        {
            ValidationReport.PrintSentences(results, context);
            foreach (var result in results)
            {
                var verdict = result.IsValid ? "valid" : $"invalid ({result.Diagnostics.ErrorCount} errors)";
                context.Out.WriteLine($"{result.Path}: {TraceFormats.Name(result.Format)}, {result.DataRows} rows, {verdict}");
            }
        }
        return results.All(r => r.IsValid) ? ExitCodes.Success : ExitCodes.Invalid;
    }
}

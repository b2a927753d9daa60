using System.CommandLine;
using InferCost.Core.Importers;
using InferCost.Core.Reading;
using InferCost.Ledger;

namespace InferCost.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create(CommandContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "Trace files: contract rows, request events, or a tool's or provider's log (see --format).", Arity = ArgumentArity.OneOrMore };
        var ledger = LedgerOptions.Create();
        var inputs = new ImportInputs("--format");
        var command = new Command("import", "Import trace files into the ledger in one transaction: all files or none. Identical content is imported once.\n" +
            "Contract rows, request events and benchmark, gateway and provider logs are detected by content (--format names one).\n" +
            "Fields a format does not log come from --mapping (per model), --route/--workload/--provider, or the mapping's defaults; each import lists them.\n" +
            "Example: infercost import traces.csv --ledger team.duckdb\n" +
            "Example: infercost import vllm-result.json --route self-hosted --workload support --provider vllm\n" +
            "Example: infercost import litellm-spend-logs.csv --mapping models.json   (models.json: {\"models\": {\"gpt-4o-mini\": {\"route\": \"managed\", \"workload\": \"support\"}}})\n" +
            "Every import runs plausibility checks (all latencies zero, TTFT above latency, start times at 1970, no tokens, a time unit off by 10^3, a group that all failed).\n" +
            "Tool versions each format reads (detected from the file; another version of a known tool is refused by name):\n  " +
            string.Join("\n  ", ImportFormats.VersionLines()))
        {
            files, ledger,
        };
        inputs.AddTo(command);
        command.SetAction(parse => Run(parse.GetValue(files)!, LedgerOptions.Resolve(parse.GetValue(ledger), context), context, inputs, parse));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, string ledgerPath, CommandContext context, ImportInputs? inputs = null, ParseResult? parse = null)
    {
        inputs ??= new ImportInputs("--format");
        // DuckDB starts on the other core while the inputs are resolved (their hashes are computed in the background).
        var warming = Task.Run(TraceLedger.Warm);
        var sources = inputs.Resolve(paths, parse, context, out var exit);
        warming.Wait();
        if (sources is null)
        {
            return exit;
        }
        using var ledger = LedgerOptions.TryOpen(ledgerPath, context, readOnly: false);
        if (ledger is null)
        {
            return ExitCodes.Environment;
        }
        ImportOutcome outcome;
        try
        {
            outcome = ledger.Import(sources);
        }
        catch (LedgerException ex)
        {
            // A storage failure (disk full, permission denied): one sentence that says nothing was imported.
            context.Err.WriteLine(ex.Message);
            if (context.Verbose)
            {
                context.Err.WriteLine(ex.InnerException?.ToString());
            }
            return ExitCodes.Environment;
        }
        ValidationReport.PrintSentences(outcome.Files.Where(f => f.Result is not null).Select(f => f.Result!), context);
        if (!outcome.Committed)
        {
            var invalid = outcome.Files.Count(f => f.Status == ImportStatus.Invalid);
            context.Err.WriteLine($"Nothing was imported: {invalid} of {outcome.Files.Count} files are invalid; the ledger {ledgerPath} is unchanged.");
            return ExitCodes.Invalid;
        }
        foreach (var file in outcome.Files)
        {
            var what = file.Source.Reader is null ? "rows" : "events";
            var line = file.Status == ImportStatus.Imported
                ? $"{file.Source.Path}: imported {file.Result!.ValidRows} {what} ({file.Source.FormatName ?? TraceFormats.Name(file.Source.Format)}, sha256 {file.Source.Sha256[..12]}…)"
                : $"{file.Source.Path}: already in the ledger (same content as {file.PreviousPath}{(file.PreviousImportId is { } id ? $", import {id}" : string.Empty)}); nothing added";
            context.Out.WriteLine(line);
        }
        inputs.PrintFilled(context.Out);
        var rows = outcome.RowsImported - outcome.EventsImported;
        context.Out.WriteLine(outcome.NothingNew
            ? $"Nothing new: every file was already in {ledgerPath}."
            : outcome.EventsImported == 0
                ? $"Imported {outcome.RowsImported} rows into {ledgerPath}."
                : $"Imported {outcome.EventsImported} request events{(rows > 0 ? $" and {rows} rows" : string.Empty)} into {ledgerPath}.");
        return ExitCodes.Success;
    }
}

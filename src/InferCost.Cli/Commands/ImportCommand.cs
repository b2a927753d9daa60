using System.CommandLine;
using InferCost.Core.Reading;
using InferCost.Ledger;

namespace InferCost.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create(CommandContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "Trace files: CSV, JSON or JSON Lines.", Arity = ArgumentArity.OneOrMore };
        var ledger = LedgerOptions.Create();
        var command = new Command("import", "Import trace files into the ledger in one transaction: all files or none. Identical content is imported once.\nExample: infercost import traces.csv --ledger team.duckdb")
        {
            files, ledger,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, LedgerOptions.Resolve(parse.GetValue(ledger), context), context));
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, string ledgerPath, CommandContext context)
    {
        var sources = InputFiles.Resolve(paths, context, hash: true);
        if (sources is null)
        {
            return ExitCodes.Environment;
        }
        using var ledger = LedgerOptions.TryOpen(ledgerPath, context, readOnly: false);
        if (ledger is null)
        {
            return ExitCodes.Environment;
        }
        var outcome = ledger.Import(sources);
        ValidationReport.PrintSentences(outcome.Files.Where(f => f.Result is not null).Select(f => f.Result!), context);
        if (!outcome.Committed)
        {
            var invalid = outcome.Files.Count(f => f.Status == ImportStatus.Invalid);
            context.Err.WriteLine($"Nothing was imported: {invalid} of {outcome.Files.Count} files are invalid; the ledger {ledgerPath} is unchanged.");
            return ExitCodes.Invalid;
        }
        foreach (var file in outcome.Files)
        {
            var line = file.Status == ImportStatus.Imported
                ? $"{file.Source.Path}: imported {file.Result!.ValidRows} rows ({TraceFormats.Name(file.Source.Format)}, sha256 {file.Source.Sha256[..12]}…)"
                : $"{file.Source.Path}: already in the ledger (same content as {file.PreviousPath}{(file.PreviousImportId is { } id ? $", import {id}" : string.Empty)}); nothing added";
            context.Out.WriteLine(line);
        }
        context.Out.WriteLine(outcome.NothingNew
            ? $"Nothing new: every file was already in {ledgerPath}."
            : $"Imported {outcome.RowsImported} rows into {ledgerPath}.");
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using InferCost.Core.Events;
using InferCost.Core.Reading;
using InferCost.Ledger;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost accept FILE</c>: attaches judgements to request events already in the ledger.</summary>
internal static class AcceptCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new Argument<string>("FILE") { Description = "Judgements: CSV with requestId,accepted[,reviewMinutes], or JSON Lines with those keys." };
        var ledger = LedgerOptions.Create();
        var command = new Command("accept", "Attach evaluator or reviewer judgements to imported request events, by requestId, in one transaction.\nExample: infercost accept reviews.csv")
        {
            file, ledger,
        };
        command.SetAction(parse => Run(parse.GetValue(file)!, LedgerOptions.Resolve(parse.GetValue(ledger), context), context));
        return command;
    }

    private static int Run(string path, string ledgerPath, CommandContext context)
    {
        if (InputFiles.Resolve([path], context, hash: false) is not [var source])
        {
            return ExitCodes.Environment;
        }
        List<Judgement> judgements;
        Core.Diagnostics.DiagnosticBag diagnostics;
        using (var stream = File.OpenRead(path))
        {
            (judgements, diagnostics) = JudgementReader.Read(stream, source.Format == TraceFormat.Csv ? TraceFormat.Csv : TraceFormat.Jsonl);
        }
        foreach (var error in diagnostics.Errors)
        {
            context.Err.WriteLine(error.ToSentence(path));
        }
        if (diagnostics.HasErrors)
        {
            context.Err.WriteLine($"Nothing was attached: {path} is invalid; the ledger {ledgerPath} is unchanged.");
            return ExitCodes.Invalid;
        }
        using var ledger = LedgerOptions.TryOpen(ledgerPath, context, readOnly: false);
        if (ledger is null)
        {
            return ExitCodes.Environment;
        }
        AcceptOutcome outcome;
        try
        {
            outcome = ledger.Accept(judgements);
        }
        catch (LedgerException ex)
        {
            context.Err.WriteLine(ex.Message);
            return ExitCodes.Environment;
        }
        foreach (var id in outcome.Unmatched.Take(10))
        {
            context.Err.WriteLine($"warning: {path}: requestId \"{id}\" matches no successful event in the ledger.");
        }
        if (outcome.Unmatched.Count > 10)
        {
            context.Err.WriteLine($"warning: {path}: … and {outcome.Unmatched.Count - 10} more unmatched requestIds.");
        }
        if (outcome.Matched == 0)
        {
            context.Err.WriteLine($"No judgement in {path} matched an imported event; import the events first (infercost import FILE).");
            return ExitCodes.Invalid;
        }
        context.Out.WriteLine($"Attached {outcome.Matched} of {judgements.Count} judgements to {outcome.EventsUpdated} events in {ledgerPath}.");
        return ExitCodes.Success;
    }
}

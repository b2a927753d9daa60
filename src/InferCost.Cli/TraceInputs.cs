using System.CommandLine;
using InferCost.Core.Events;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Reporting;
using InferCost.Ledger;

namespace InferCost.Cli;

/// <summary>Group sums (metrics, modeled cost, hardware) plus their provenance.</summary>
internal sealed record LoadedTraces(
    IReadOnlyList<GroupAggregate> Aggregates,
    IReadOnlyList<CostInputAggregate> CostInputs,
    IReadOnlyList<GroupHardware> Hardware,
    IReadOnlyList<ReportInput> Inputs,
    string Source);

/// <summary>Loads group sums from files (validated first, through a throwaway in-memory ledger so files and the
/// ledger share one aggregation) or from the ledger.</summary>
internal static class TraceInputs
{
    /// <summary>Returns the loaded traces, or null with <paramref name="exitCode"/> set after printing why. Files are
    /// read as <paramref name="inputs"/>' flags in <paramref name="parse"/> say (format, mapping), when given; the
    /// fields filled rather than read are declared on the error stream (the output may be JSON).</summary>
    public static LoadedTraces? Load(IReadOnlyList<string> files, string? ledgerFlag, IReadOnlyList<GroupDimension> groupBy, CommandContext context, out int exitCode,
        ImportInputs? inputs = null, ParseResult? parse = null)
    {
        exitCode = ExitCodes.Success;
        if (files.Count == 0 && inputs is not null && parse is not null && inputs.FileOnlyFlagsGiven(parse).ToList() is [_, ..] fileOnly)
        {
            context.Err.WriteLine($"{string.Join(" and ", fileOnly)} {(fileOnly.Count == 1 ? "applies" : "apply")} to trace files named on the command line; " +
                                  "the ledger's events were filled in when they were imported.");
            exitCode = ExitCodes.Usage;
            return null;
        }
        if (files.Count > 0)
        {
            inputs ??= new ImportInputs("--input-format");
            var sources = inputs.Resolve(files, parse, context, out exitCode);
            if (sources is null)
            {
                return null;
            }
            using var memory = TraceLedger.InMemory(context.Environment.Clock);
            var outcome = memory.Import(sources);
            ValidationReport.PrintSentences(outcome.Files.Where(f => f.Result is not null).Select(f => f.Result!), context);
            if (!outcome.Committed)
            {
                context.Err.WriteLine("Nothing was computed: the input is invalid (see the errors above).");
                exitCode = ExitCodes.Invalid;
                return null;
            }
            inputs.PrintFilled(context.Err);
            return Sums(memory, memory.AggregateRowsAndEvents(groupBy), groupBy, "files");
        }
        var path = LedgerOptions.Resolve(ledgerFlag, context);
        using var ledger = LedgerOptions.TryOpen(path, context, readOnly: true);
        if (ledger is null)
        {
            exitCode = ExitCodes.Environment;
            return null;
        }
        var aggregates = ledger.AggregateRowsAndEvents(groupBy);
        if (aggregates.Count == 0)
        {
            context.Err.WriteLine($"The ledger {path} holds no rows or events; import traces first (infercost import FILE).");
            exitCode = ExitCodes.Invalid;
            return null;
        }
        return Sums(ledger, aggregates, groupBy, "ledger " + path);
    }

    /// <summary>Everything is summed inside DuckDB: a million rows never leave it.</summary>
    private static LoadedTraces Sums(TraceLedger ledger, IReadOnlyList<GroupAggregate> aggregates, IReadOnlyList<GroupDimension> groupBy, string source) => new(
        aggregates,
        ledger.AggregateCostInputs(groupBy),
        ledger.AggregateHardware(GroupDimensions.Default),
        ledger.Provenance(),
        source);
}

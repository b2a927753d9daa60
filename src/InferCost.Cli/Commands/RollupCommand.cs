using System.CommandLine;
using System.Globalization;
using InferCost.Core.Events;
using InferCost.Core.Metrics;
using InferCost.Core.Writing;
using InferCost.Ledger;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost rollup</c>: request events rolled up exactly into contract rows, from files or the ledger.</summary>
internal static class RollupCommand
{
    public static Command Create(CommandContext context)
    {
        var files = new Argument<string[]>("FILE") { Description = "Event files or tool logs to roll up directly (validated first). Without files, the ledger's events.", Arity = ArgumentArity.ZeroOrMore };
        var ledger = LedgerOptions.Create();
        var by = new Option<string?>("--by") { Description = "Group by any of route,provider,model,workload,concurrency (default: all five)." };
        var format = FormatOption.Create(OutputFormat.Json, OutputFormat.Csv);
        var inputs = new ImportInputs("--input-format");
        var command = new Command("rollup", "Roll request events up exactly into contract rows: p50/p95/p99 by linear interpolation over successful requests, " +
            "error-adjusted p95, cache hit rate, acceptance, retry/timeout/error rates; concurrency reconstructed from intervals when not logged.\n" +
            "Example: infercost rollup events.jsonl --by route,workload,concurrency --format csv\n" +
            "Example: infercost rollup litellm-spend-logs.csv --mapping models.json --by route,model   (fields the log lacks, per model)")
        {
            files, ledger, by, format,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            var groupBy = GroupDimensions.Default;
            if (parse.GetValue(by) is { } text)
            {
                groupBy = GroupDimensions.Parse(text, out var problem)!;
                if (problem is not null)
                {
                    context.Err.WriteLine(problem + ".");
                    return ExitCodes.Usage;
                }
            }
            var paths = parse.GetValue(files) ?? [];
            IReadOnlyList<RollupRow> rows;
            IReadOnlyList<ImportRecord> provenance;
            string source;
            if (paths.Length > 0)
            {
                var sources = inputs.Resolve(paths, parse, context, out var exit);
                if (sources is null)
                {
                    return exit;
                }
                using var memory = TraceLedger.InMemory(context.Environment.Clock);
                var outcome = memory.Import(sources);
                ValidationReport.PrintSentences(outcome.Files.Where(f => f.Result is not null).Select(f => f.Result!), context);
                if (!outcome.Committed)
                {
                    context.Err.WriteLine("Nothing was rolled up: the input is invalid (see the errors above).");
                    return ExitCodes.Invalid;
                }
                inputs.PrintFilled(context.Err);
                rows = memory.RollupEvents(groupBy);
                provenance = memory.Imports();
                source = "files";
            }
            else
            {
                var path = LedgerOptions.Resolve(parse.GetValue(ledger), context);
                using var opened = LedgerOptions.TryOpen(path, context, readOnly: true);
                if (opened is null)
                {
                    return ExitCodes.Environment;
                }
                rows = opened.RollupEvents(groupBy);
                provenance = opened.Imports();
                source = "ledger " + path;
            }
            if (rows.Count == 0)
            {
                context.Err.WriteLine("There are no request events to roll up; import events first (infercost import FILE --format …).");
                return ExitCodes.Invalid;
            }
            if (FormatOption.Chosen(parse, format, OutputFormat.Json) == OutputFormat.Csv)
            {
                WriteCsv(context.Out, rows);
            }
            else
            {
                JsonOutput.Write(context.Out, new
                {
                    schema = "infercost.rollup/v1",
                    groupBy = groupBy.Select(GroupDimensions.Name).ToList(),
                    source,
                    assumptions = new
                    {
                        percentiles = "exact: linear interpolation between order statistics (numpy linear, DuckDB quantile_cont) over successful attempts",
                        errorAdjustedP95 = "failures count as infinitely slow; null with a reason when failures exceed 5% of attempts or the p95 falls on a failure",
                        perOutput = "token counts and review minutes are means over successful attempts; costUsd is every attempt's cost divided by successful outputs",
                        concurrency = "logged when events carry it; else in-flight attempts per route/provider/model at each start, bucketed to the next power of two (1, 2, 4, 8, …)",
                    },
                    inputs = provenance.Select(i => new { path = i.SourcePath, format = i.Format, sha256 = i.Sha256, records = i.RowCount }),
                    rows,
                });
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly string[] Columns =
    [
        "route", "provider", "model", "workload", "inputTokens", "outputTokens", "cacheHitRate", "batchEligible", "concurrency", "ttftMs",
        "latencyP50Ms", "latencyP95Ms", "outputTokensPerSecond", "acceptedOutputRate", "costUsd", "reviewMinutes", "requests", "latencyP99Ms",
        "retryRate", "timeoutRate", "errorRate", "cachedInputTokens", "cacheWriteTokens", "reasoningTokens", "measuredAt", "windowSeconds",
    ];

    /// <summary>Contract columns, so the output imports as contract rows; a value that is undefined stays empty
    /// (e.g. acceptedOutputRate when nothing was judged), and the contract reader will say so on import.</summary>
    private static void WriteCsv(TextWriter writer, IReadOnlyList<RollupRow> rows)
    {
        writer.Write(string.Join(",", Columns));
        writer.Write('\n');
        foreach (var r in rows)
        {
            string N(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
            var cells = new[]
            {
                r.Route ?? string.Empty, r.Provider ?? string.Empty, r.Model ?? string.Empty, r.Workload ?? string.Empty,
                N(r.InputTokens), N(r.OutputTokens), N(r.CacheHitRate), r.BatchEligible ? "true" : "false",
                r.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                N(r.TtftMs is { } t && r.LatencyP50Ms is { } p ? Math.Min(t, p) : r.TtftMs), N(r.LatencyP50Ms), N(r.LatencyP95Ms), N(r.OutputTokensPerSecond),
                N(r.AcceptedOutputRate), r.CostUsd?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, N(r.ReviewMinutes),
                r.Requests.ToString(CultureInfo.InvariantCulture), N(r.LatencyP99Ms), N(r.RetryRate), N(r.TimeoutRate), N(r.ErrorRate),
                N(r.CachedInputTokens), N(r.CacheWriteTokens), N(r.ReasoningTokens), EventTime.Format(r.MeasuredAt), N(r.WindowSeconds),
            };
            writer.Write(string.Join(",", cells.Select(TraceCsvWriter.Quote)));
            writer.Write('\n');
        }
    }
}

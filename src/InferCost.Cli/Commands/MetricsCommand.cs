using System.CommandLine;
using InferCost.Core.Diagnostics;
using InferCost.Core.Metrics;

namespace InferCost.Cli.Commands;

internal static class MetricsCommand
{
    /// <summary>The options metrics and report share.</summary>
    internal sealed class MetricsFlags
    {
        public readonly Argument<string[]> Files = new("FILE") { Description = "Trace files to read directly (validated first). Without files, the ledger is read.", Arity = ArgumentArity.ZeroOrMore };
        public readonly Option<string?> Ledger = LedgerOptions.Create();
        public readonly Option<string?> By = new("--by") { Description = "Group by any of route,provider,model,workload,concurrency (default: all five)." };
        public readonly Option<decimal> ReviewerRate = NumberOptions.Money("--reviewer-usd-per-hour", "What an hour of human review costs, USD.", MetricsOptions.DefaultReviewerUsdPerHour);
        public readonly Option<double?> Target = NumberOptions.Number("--target-p95-ms", "One p95 latency target for every workload, ms.", "a number of milliseconds ≥ 0", t => t >= 0);
        public readonly Option<string?> Targets = new("--targets") { Description = "Per-workload p95 targets: JSON {\"workload\": ms} or CSV workload,targetP95Ms." };
        public readonly Option<string?> Catalog = PriceCatalogOptions.Create();

        /// <summary>How FILE arguments are read: <c>--input-format</c> and <c>--mapping</c> (the one-value fill-ins
        /// are left to import: curve's <c>--workload</c> means something else).</summary>
        public readonly ImportInputs Inputs = new("--input-format");
        private bool _hasBy;

        public void AddTo(Command command, bool withBy = true)
        {
            command.Arguments.Add(Files);
            command.Options.Add(Ledger);
            Inputs.AddTo(command, fillFlags: false);
            if (withBy)
            {
                command.Options.Add(By);
                _hasBy = true;
            }
            command.Options.Add(Catalog);
            command.Options.Add(ReviewerRate);
            command.Options.Add(Target);
            command.Options.Add(Targets);
        }

        /// <summary>Builds the options, or returns null after printing why (exit code in <paramref name="exitCode"/>).</summary>
        public MetricsOptions? Options(ParseResult parse, CommandContext context, out int exitCode)
        {
            exitCode = ExitCodes.Success;
            var groupBy = GroupDimensions.Default;
            if (_hasBy && parse.GetValue(By) is { } by)
            {
                groupBy = GroupDimensions.Parse(by, out var problem)!;
                if (problem is not null)
                {
                    context.Err.WriteLine(problem + ".");
                    exitCode = ExitCodes.Usage;
                    return null;
                }
            }
            if (parse.GetValue(Target) is not null && parse.GetValue(Targets) is not null)
            {
                context.Err.WriteLine("Give either --target-p95-ms or --targets, not both.");
                exitCode = ExitCodes.Usage;
                return null;
            }
            IReadOnlyDictionary<string, double> targets = new Dictionary<string, double>();
            if (parse.GetValue(Targets) is { } targetsPath)
            {
                if (!File.Exists(targetsPath))
                {
                    context.Err.WriteLine($"{targetsPath}: no such file.");
                    exitCode = ExitCodes.Environment;
                    return null;
                }
                var diagnostics = new DiagnosticBag();
                targets = TargetsFile.Parse(File.ReadAllText(targetsPath), targetsPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase), diagnostics);
                foreach (var error in diagnostics.Errors)
                {
                    context.Err.WriteLine(error.ToSentence(targetsPath));
                }
                if (diagnostics.HasErrors)
                {
                    exitCode = ExitCodes.Invalid;
                    return null;
                }
            }
            return new MetricsOptions
            {
                ReviewerUsdPerHour = parse.GetValue(ReviewerRate),
                TargetP95Ms = parse.GetValue(Target),
                TargetsByWorkload = targets,
                GroupBy = groupBy,
            };
        }
    }

    public static Command Create(CommandContext context)
    {
        var flags = new MetricsFlags();
        var format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var command = new Command("metrics", "Cost per accepted output at target p95 latency, and the other derived metrics, per group and per workload.\nExample: infercost metrics traces.csv --target-p95-ms 10000 --format json");
        flags.AddTo(command);
        command.Options.Add(format);
        command.SetAction(parse =>
        {
            var options = flags.Options(parse, context, out var exit);
            if (options is null)
            {
                return exit;
            }
            // The catalog first: a bad catalog fails before a million rows are read.
            var catalog = PriceCatalogOptions.Load(parse.GetValue(flags.Catalog), context, out exit);
            if (catalog is null)
            {
                return exit;
            }
            var loaded = TraceInputs.Load(parse.GetValue(flags.Files) ?? [], parse.GetValue(flags.Ledger), options.GroupBy, context, out exit, flags.Inputs, parse);
            var modeled = loaded is null ? null : PriceCatalogOptions.Model(loaded, catalog, context, out exit);
            if (modeled is null)
            {
                return exit;
            }
            var result = MetricsCalculator.Compute(loaded!.Aggregates, options, modeled);
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    JsonOutput.Write(context.Out, InferCost.Reports.MetricsJson.Document(result, loaded.Inputs));
                    break;
                case OutputFormat.Csv:
                    InferCost.Reports.MetricsCsv.Write(context.Out, result);
                    break;
                default:
                    InferCost.Reports.MetricsTable.Write(context.Out, result);
                    break;
            }
            return ExitCodes.Success;
        });
        return command;
    }
}

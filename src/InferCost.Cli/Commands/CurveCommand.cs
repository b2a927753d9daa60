using System.CommandLine;
using InferCost.Core.Curves;
using InferCost.Core.Diagnostics;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Reports;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost curve</c>: cost per accepted output against monthly volume for every route of one workload.</summary>
internal static class CurveCommand
{
    public static Command Create(CommandContext context)
    {
        var flags = new MetricsCommand.MetricsFlags();
        var workload = new Option<string>("--workload") { Description = "The workload to draw.", Required = true };
        var demand = DemandOption.Create();
        var volume = NumberOptions.Number("--volume", "Accepted outputs per month at which the sensitivity table compares routes.", CurveInputs.DefaultReferenceMonthlyAcceptedOutputs, "a positive number of accepted outputs per month", v => v > 0);
        var format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv, OutputFormat.Svg);
        var profile = new Option<string?>("--profile") { Description = "A buyer profile (profile.yaml): its capacity.gpuCount sizes the replicas of the rows it describes, as in procure and report --profile." };
        var command = new Command("curve",
            "Cost per accepted output against monthly accepted outputs (10^3 to 10^9) for every route of a workload, break-even volumes and a ±20% sensitivity table.\n" +
            "Example: infercost curve --workload support-policy traces.csv --format svg > curve.svg");
        flags.AddTo(command, withBy: false);
        command.Options.Add(workload);
        command.Options.Add(demand);
        command.Options.Add(volume);
        command.Options.Add(format);
        command.Options.Add(profile);
        command.SetAction(parse =>
        {
            var options = flags.Options(parse, context, out var exit);
            if (options is null)
            {
                return exit;
            }
            LoadedProfile? buyer = null;
            if (parse.GetValue(profile) is { } profilePath)
            {
                buyer = ProfileInputs.Load(profilePath, context, out exit);
                if (buyer is null)
                {
                    return exit;
                }
            }
            var catalog = PriceCatalogOptions.Load(parse.GetValue(flags.Catalog), context, out exit);
            if (catalog is null)
            {
                return exit;
            }
            var shape = DemandOption.Load(parse.GetValue(demand), context, out exit);
            if (shape is null)
            {
                return exit;
            }
            var loaded = TraceInputs.Load(parse.GetValue(flags.Files) ?? [], parse.GetValue(flags.Ledger), GroupDimensions.Default, context, out exit, flags.Inputs, parse);
            var pricing = loaded is null ? null : ReportCommand.Pricing(loaded, catalog, shape, context, out exit);
            if (pricing is null)
            {
                return exit;
            }
            pricing = pricing with { Plan = buyer?.Profile.Capacity };
            var metrics = MetricsCalculator.Compute(loaded!.Aggregates, options, pricing.Modeled);
            var name = parse.GetValue(workload)!;
            var headline = metrics.Workloads.FirstOrDefault(w => w.Workload == name);
            if (headline is null)
            {
                context.Err.WriteLine($"The workload \"{name}\" is not in {loaded.Source}; its workloads are: {string.Join(", ", metrics.Workloads.Select(w => w.Workload))}.");
                return ExitCodes.Invalid;
            }
            var curve = CostCurveBuilder.Build(ReportBuilder.CurveInputsFor(headline, metrics, pricing, options) with { ReferenceMonthlyAcceptedOutputs = parse.GetValue(volume) });
            switch (parse.GetValue(format))
            {
                case OutputFormat.Json:
                    JsonOutput.Write(context.Out, CurveJson.Document(curve, loaded.Inputs));
                    break;
                case OutputFormat.Csv:
                    CurveText.WriteCsv(context.Out, curve);
                    break;
                case OutputFormat.Svg:
                    context.Out.Write(SvgCharts.Standalone(SvgCharts.LogLines(ReportBuilder.CurveChart(curve))));
                    break;
                default:
                    CurveText.WriteTable(context.Out, curve);
                    break;
            }
            return ExitCodes.Success;
        });
        return command;
    }
}

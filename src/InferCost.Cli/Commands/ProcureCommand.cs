using System.CommandLine;
using InferCost.Core.Curves;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Core.Procurement;
using InferCost.Reports;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost procure</c>: the hardware procurement matrix from traces and a buyer profile.</summary>
internal static class ProcureCommand
{
    public static readonly IReadOnlyList<string> FileNames = ["hardware-procurement-matrix.md", "hardware-procurement-matrix.json"];

    public static Command Create(CommandContext context)
    {
        var flags = new MetricsCommand.MetricsFlags();
        var profile = new Option<string>("--profile") { Description = "The buyer profile (profile.yaml; `infercost kit init` writes a commented example).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for hardware-procurement-matrix.md and .json.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Simulation seed; the same seed gives the same matrix.", DefaultValueFactory = _ => 1UL };
        var command = new Command("procure",
            "The hardware procurement matrix: the five gates evaluated from evidence, readiness scores, and the route stage to take per workload " +
            "with the evidence to collect next.\nExample: infercost procure traces.csv --profile profile.yaml --out matrix/");
        flags.AddTo(command);
        command.Options.Add(profile);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            var options = flags.Options(parse, context, out var exit);
            if (options is null)
            {
                return exit;
            }
            var loadedProfile = ProfileInputs.Load(parse.GetValue(profile)!, context, out exit);
            if (loadedProfile is null)
            {
                return exit;
            }
            var catalog = PriceCatalogOptions.Load(parse.GetValue(flags.Catalog), context, out exit);
            if (catalog is null)
            {
                return exit;
            }
            var traces = TraceInputs.Load(parse.GetValue(flags.Files) ?? [], parse.GetValue(flags.Ledger), GroupDimensions.Default, context, out exit, flags.Inputs, parse);
            var pricing = traces is null ? null : ReportCommand.Pricing(traces, catalog, DemandShape.Flat, context, out exit);
            if (pricing is null)
            {
                return exit;
            }
            var matrix = Compute(loadedProfile, traces!, pricing, options, parse.GetValue(seed));
            return Write(matrix, parse.GetValue(output)!, context);
        });
        return command;
    }

    /// <summary>The matrix from a loaded profile and traces, priced by the catalog; shared with <c>report --profile</c>.</summary>
    internal static ProcurementMatrix Compute(LoadedProfile profile, LoadedTraces traces, ReportPricing pricing, MetricsOptions options, ulong seed) =>
        ProcurementRun.Compute(profile.Profile, profile.Path, profile.Demand, traces.Aggregates, pricing, options, seed);

    internal static int Write(ProcurementMatrix matrix, string folder, CommandContext context)
    {
        var markdown = new StringWriter { NewLine = "\n" };
        ProcurementMarkdown.Write(markdown, matrix);
        var json = new StringWriter { NewLine = "\n" };
        ProcurementJson.Write(json, matrix);
        try
        {
            Directory.CreateDirectory(folder);
            AtomicFile.WriteAllText(Path.Combine(folder, FileNames[0]), markdown.ToString());
            AtomicFile.WriteAllText(Path.Combine(folder, FileNames[1]), json.ToString());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"Cannot write the procurement matrix into {folder}: {ex.Message}");
            return ExitCodes.Environment;
        }
        foreach (var r in matrix.Recommendations)
        {
            var next = r.NextRoute is null ? "" : $"; next: {r.NextRoute}" + (r.BlockingGate is null ? "" : $", blocked by {r.BlockingGate} ({r.BlockingGateStatus})");
            context.Out.WriteLine($"{r.Workload}: {r.Route}{next}");
        }
        context.Out.WriteLine($"Wrote {string.Join(", ", FileNames.Select(n => Path.Combine(folder, n)))}");
        return ExitCodes.Success;
    }
}

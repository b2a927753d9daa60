using System.CommandLine;
using InferCost.Core.Kit;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Core.Writing;

namespace InferCost.Cli.Commands;

/// <summary>The main job end to end on bundled traces: kit, validation, import into a fresh ledger, metrics, the
/// procurement matrix for the kit's example profile, and the report that carries it.</summary>
internal static class DemoCommand
{
    public static Command Create(CommandContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder for everything the demo writes.", DefaultValueFactory = _ => "infercost-demo" };
        var command = new Command("demo", "Run the whole main job on bundled example traces and write the buyer report.\nExample: infercost demo && xdg-open infercost-demo/report/report.html")
        {
            output,
        };
        command.SetAction(parse => Run(parse.GetValue(output)!, context));
        return command;
    }

    internal static int Run(string folder, CommandContext context)
    {
        var o = context.Out;
        var traces = Path.Combine(folder, "traces");
        var ledgerPath = Path.Combine(folder, "demo.duckdb");
        try
        {
            Directory.CreateDirectory(traces);
            // A fresh demo ledger each run, so the demo always shows the same numbers.
            File.Delete(ledgerPath);
            File.Delete(ledgerPath + ".wal");
            // The seed's template rows stay in the kit (kit/trace-template.csv): their models are placeholders
            // (frontier-reasoning-model-id, …) without requests, and in the ledger they would compete in the headline.
            File.Delete(Path.Combine(traces, "seed-template.csv"));
            AtomicFile.WriteAllText(Path.Combine(traces, "example-traces.csv"), ExampleTraces.Csv());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"Cannot write the demo into {folder}: {ex.Message}");
            return ExitCodes.Environment;
        }

        o.WriteLine("1. Trace Kit");
        var exit = KitCommand.Init(Path.Combine(folder, "kit"), force: true, context);
        if (exit != ExitCodes.Success)
        {
            return exit;
        }
        o.WriteLine("2. Validate the kit's template (placeholder rows: validated, not imported), then import the bundled example traces");
        exit = ValidateCommand.Run([Path.Combine(folder, "kit", "trace-template.csv")], OutputFormat.Table, context);
        if (exit != ExitCodes.Success)
        {
            return exit;
        }
        exit = ImportCommand.Run([Path.Combine(traces, "example-traces.csv")], ledgerPath, context);
        if (exit != ExitCodes.Success)
        {
            return exit;
        }
        o.WriteLine("3. Metrics");
        var options = new MetricsOptions();
        var loaded = TraceInputs.Load([], ledgerPath, GroupDimensions.Default, context, out exit);
        if (loaded is null)
        {
            return exit;
        }
        var pricing = ReportCommand.Pricing(loaded, Core.Pricing.PriceCatalog.BuiltIn, Core.Curves.DemandShape.Flat, context, out exit);
        if (pricing is null)
        {
            return exit;
        }
        InferCost.Reports.MetricsTable.Write(o, MetricsCalculator.Compute(loaded.Aggregates, options, pricing.Modeled));
        o.WriteLine("4. Hardware procurement matrix (the kit's example profile.yaml)");
        var profile = ProfileInputs.Load(Path.Combine(folder, "kit", "profile.yaml"), context, out exit);
        if (profile is null)
        {
            return exit;
        }
        var matrix = ProcureCommand.Compute(profile, loaded, pricing, options, seed: 1);
        exit = ProcureCommand.Write(matrix, Path.Combine(folder, "procurement"), context);
        if (exit != ExitCodes.Success)
        {
            return exit;
        }
        o.WriteLine("5. Report (cost curves from the built-in price catalog, and the procurement matrix)");
        var reportFolder = Path.Combine(folder, "report");
        var model = ReportBuilder.Build(loaded.Aggregates, options, loaded.Inputs, pricing: pricing with { Plan = profile.Profile.Capacity }) with { Procurement = matrix };
        exit = ReportCommand.Write(model, reportFolder, context);
        if (exit == ExitCodes.Success)
        {
            o.WriteLine();
            o.WriteLine($"Open {Path.Combine(reportFolder, "report.html")} in a browser (Markdown and JSON beside it).");
        }
        return exit;
    }
}

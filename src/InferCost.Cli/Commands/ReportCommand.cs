using System.CommandLine;
using InferCost.Core.Curves;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Reports;

namespace InferCost.Cli.Commands;

internal static class ReportCommand
{
    public static readonly IReadOnlyList<string> FileNames = ["report.md", "report.html", "report.json"];

    public static Command Create(CommandContext context)
    {
        var flags = new MetricsCommand.MetricsFlags();
        var output = new Option<string>("--out") { Description = "Folder for report.md, report.html and report.json.", Required = true };
        var profile = new Option<string?>("--profile") { Description = "A buyer profile (profile.yaml): adds the hardware procurement matrix to the report." };
        var demand = DemandOption.Create();
        var command = new Command("report", "Write the buyer report (Markdown, self-contained HTML with charts, JSON) from trace files or the ledger.\nExample: infercost report traces.csv --out report/");
        flags.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(profile);
        command.Options.Add(demand);
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
            var pricing = loaded is null ? null : Pricing(loaded, catalog, shape, context, out exit);
            if (pricing is null)
            {
                return exit;
            }
            // The profile's capacity plan sizes the curves' replicas as it sizes the matrix's (one capacity model).
            pricing = pricing with { Plan = buyer?.Profile.Capacity };
            var model = ReportBuilder.Build(loaded!.Aggregates, options, loaded.Inputs, pricing: pricing);
            if (buyer is not null)
            {
                model = model with { Procurement = ProcureCommand.Compute(buyer, loaded, pricing, options, seed: 1) };
            }
            return Write(model, parse.GetValue(output)!, context);
        });
        return command;
    }

    /// <summary>Modeled costs and hardware for the report's curves; null after printing any missing price (exit 1).</summary>
    internal static ReportPricing? Pricing(LoadedTraces loaded, Core.Pricing.PriceCatalog catalog, DemandShape demand, CommandContext context, out int exitCode)
    {
        var modeled = PriceCatalogOptions.Model(loaded, catalog, context, out exitCode);
        return modeled is null ? null : new ReportPricing(modeled, loaded.Hardware, catalog, demand);
    }

    /// <summary>Renders all three files in memory first, then writes each atomically: no half-written report.</summary>
    internal static int Write(ReportModel model, string folder, CommandContext context)
    {
        var rendered = new (string Name, string Content)[]
        {
            ("report.md", Render(w => ReportMarkdown.Write(w, model))),
            ("report.html", Render(w => ReportHtml.Write(w, model))),
            ("report.json", Render(w => ReportJson.Write(w, model))),
        };
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var (name, content) in rendered)
            {
                AtomicFile.WriteAllText(Path.Combine(folder, name), content);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"Cannot write the report into {folder}: {ex.Message}");
            return ExitCodes.Environment;
        }
        context.Out.WriteLine($"Wrote {string.Join(", ", rendered.Select(r => Path.Combine(folder, r.Name)))}");
        return ExitCodes.Success;
    }

    private static string Render(Action<TextWriter> render)
    {
        var writer = new StringWriter { NewLine = "\n" };
        render(writer);
        return writer.ToString();
    }
}

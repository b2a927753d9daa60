using System.CommandLine;
using System.Globalization;
using InferCost.Core.Fit;
using InferCost.Core.Pricing;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost catalog list|show|import</c>: the price catalog, dated and sourced.</summary>
internal static class CatalogCommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static Command Create(CommandContext context)
    {
        var command = new Command("catalog", "The price catalog: token prices, GPU offers, owned-hardware and operations assumptions, each dated and sourced.\nExample: infercost catalog list --catalog my-prices.json");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Import(context));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var catalogOption = PriceCatalogOptions.Create();
        var format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json);
        var command = new Command("list", "List every entry of the catalog (the built-in one, with --catalog FILE merged over it).\nExample: infercost catalog list --format json") { catalogOption, format };
        command.SetAction(parse =>
        {
            var catalog = PriceCatalogOptions.Load(parse.GetValue(catalogOption), context, out var exit);
            if (catalog is null)
            {
                return exit;
            }
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                JsonOutput.Write(context.Out, Json(catalog, catalog.TokenPrices, catalog.GpuOffers, catalog.OwnedHardware));
                return ExitCodes.Success;
            }
            var o = context.Out;
            o.WriteLine($"Price catalog: {string.Join(" + ", catalog.Versions)}. Token prices in USD per million tokens.");
            o.WriteLine();
            o.WriteLine($"{"provider",-12} {"model",-48} {"input",8} {"cached",8} {"write",8} {"output",8} {"batch in",9} {"batch out",9}  effective");
            foreach (var t in catalog.TokenPrices)
            {
                o.WriteLine($"{t.Provider,-12} {t.Model,-48} {M(t.InputUsdPerMTok),8} {M(t.CachedInputUsdPerMTok),8} {M(t.CacheWriteUsdPerMTok),8} {M(t.OutputUsdPerMTok),8} {M(t.BatchInputUsdPerMTok),9} {M(t.BatchOutputUsdPerMTok),9}  {t.Provenance.EffectiveDate:yyyy-MM-dd}");
            }
            o.WriteLine();
            o.WriteLine($"{"GPU",-16} {"provider",-12} {"route",-22} {"kind",-22} {"$/GPU-h",8} {"memory",8} {"board W",8}  effective");
            foreach (var g in catalog.GpuOffers)
            {
                var spec = GpuCatalog.BuiltIn.Find(g.GpuType).Match;
                o.WriteLine($"{g.GpuType,-16} {g.Provider,-12} {g.Route,-22} {GpuOffer.KindName(g.Kind),-22} {M(g.UsdPerGpuHour),8} {(spec is null ? "—" : spec.MemoryGiB.ToString(C) + " GiB"),8} {spec?.BoardPowerW?.ToString(C) ?? "—",8}  {g.Provenance.EffectiveDate:yyyy-MM-dd}");
            }
            o.WriteLine();
            o.WriteLine($"{"owned GPU",-16} {"capex",9} {"life",5} {"residual",9} {"capital",8} {"$/kWh",6} {"PUE",4} {"ops/yr",7} {"$/GPU-h",8}  basis");
            foreach (var h in catalog.OwnedHardware)
            {
                var watts = GpuCatalog.BuiltIn.Find(h.GpuType).Match?.BoardPowerW;
                o.WriteLine($"{h.GpuType,-16} {h.CapexUsdPerGpu.ToString("#,0", C),9} {h.LifeYears,5} {h.ResidualValueShare.ToString("P0", C),9} {h.CostOfCapital.ToString("P0", C),8} {M(h.PowerUsdPerKwh),6} {M(h.Pue),4} {h.OperationsUsdPerGpuYear.ToString("#,0", C),7} {(watts is { } w ? M(Math.Round(OwnedHardwareCost.UsdPerGpuHour(h, w), 4)) : "—"),8}  {h.Basis}");
            }
            if (catalog.Operations is { } ops)
            {
                o.WriteLine();
                o.WriteLine($"Operations: self-hosted {ops.SelfHostedEngineerHoursPerMonth.ToString(C)} engineer hours/month × ${ops.EngineerUsdPerHour.ToString(C)}/h = ${ops.SelfHostedOperationsUsdPerMonth.ToString("#,0", C)}/month; autoscaling floor {ops.AutoscalingFloorReplicas} replica(s) ({ops.Provenance.Citation}).");
            }
            o.WriteLine("Every entry's source URL: infercost catalog show NAME, or --format json.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CommandContext context)
    {
        var name = new Argument<string>("NAME") { Description = "A model (or alias), \"provider/model\", or a GPU type." };
        var catalogOption = PriceCatalogOptions.Create();
        var command = new Command("show", "Show the entries for one model or GPU, with effective dates and sources, as JSON.\nExample: infercost catalog show gpt-4.1-mini") { name, catalogOption };
        command.SetAction(parse =>
        {
            var catalog = PriceCatalogOptions.Load(parse.GetValue(catalogOption), context, out var exit);
            if (catalog is null)
            {
                return exit;
            }
            var query = parse.GetValue(name)!;
            var wanted = NameMatcher.Normalize(query);
            var tokens = catalog.TokenPrices.Where(t => new[] { t.Model, t.Provider + "/" + t.Model }.Concat(t.Aliases).Any(n => NameMatcher.Normalize(n) == wanted)).ToList();
            var gpu = GpuCatalog.BuiltIn.Find(query).Match;
            var offers = gpu is null ? [] : catalog.GpuOffers.Where(o => o.GpuType == gpu.Name).ToList();
            var owned = gpu is null ? [] : catalog.OwnedHardware.Where(o => o.GpuType == gpu.Name).ToList();
            if (tokens.Count == 0 && offers.Count == 0 && owned.Count == 0)
            {
                var close = NameMatcher.Find(query, catalog.TokenPrices, t => [t.Model, .. t.Aliases], t => $"{t.Provider} {t.Model}").CloseMatches;
                context.Err.WriteLine($"\"{query}\" is not in the price catalog ({string.Join(" + ", catalog.Versions)}); {(close.Count > 0 ? "close matches: " + string.Join(", ", close) : "see infercost catalog list")}.");
                return ExitCodes.Invalid;
            }
            JsonOutput.Write(context.Out, Json(catalog, tokens, offers, owned));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import(CommandContext context)
    {
        var litellm = new Option<string>("--litellm") { Description = "LiteLLM's model_prices_and_context_window.json.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the catalog here (default: standard output)." };
        var date = new Option<string?>("--effective-date") { Description = "The date the prices were published, yyyy-MM-dd (default: today)." };
        var source = new Option<string>("--source") { Description = "The URL the file was taken from.", DefaultValueFactory = _ => LiteLlmImporter.DefaultSource };
        var command = new Command("import", "Convert LiteLLM's price file into an InferCost price catalog (chat models only; what is skipped is reported, and why).\nExample: infercost catalog import --litellm model_prices_and_context_window.json --out my-prices.json") { litellm, output, date, source };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(litellm)!;
            var effective = DateOnly.FromDateTime(context.Environment.Clock.GetUtcNow().UtcDateTime);
            if (parse.GetValue(date) is { } dateText && !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", C, DateTimeStyles.None, out effective))
            {
                context.Err.WriteLine($"--effective-date \"{dateText}\" is not a date written yyyy-MM-dd.");
                return ExitCodes.Usage;
            }
            var sourceUrl = parse.GetValue(source)!;
            if (!Uri.TryCreate(sourceUrl, UriKind.Absolute, out _))
            {
                context.Err.WriteLine($"--source \"{sourceUrl}\" is not an absolute URL.");
                return ExitCodes.Usage;
            }
            var outPath = parse.GetValue(output);
            LiteLlmImport result;
            try
            {
                using var stream = File.OpenRead(path);
                result = LiteLlmImporter.Read(stream, effective, sourceUrl, outPath ?? "(imported)");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine(ex is FileNotFoundException or DirectoryNotFoundException ? $"{path}: no such file." : $"{path}: cannot be read ({ex.Message.TrimEnd('.')}).");
                return ExitCodes.Environment;
            }
            foreach (var d in result.Diagnostics)
            {
                context.Err.WriteLine(d.ToSentence(path));
            }
            if (result.Diagnostics.Count > 0)
            {
                return ExitCodes.Invalid;
            }
            var text = new StringWriter { NewLine = "\n" };
            PriceCatalogWriter.Write(text, effective.ToString("yyyy-MM-dd", C),
                [$"Imported from LiteLLM's price file {Path.GetFileName(path)} ({sourceUrl}) by infercost catalog import; prices per million tokens."],
                result.Prices);
            foreach (var skip in result.Skipped)
            {
                context.Err.WriteLine($"skipped {skip.Key}: {skip.Reason}.");
            }
            context.Err.WriteLine($"Imported {result.Prices.Count} chat model price(s); skipped {result.Skipped.Count} entr{(result.Skipped.Count == 1 ? "y" : "ies")}.");
            if (outPath is null)
            {
                context.Out.Write(text.ToString());
                return ExitCodes.Success;
            }
            try
            {
                AtomicFile.WriteAllText(outPath, text.ToString());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine($"Cannot write {outPath}: {ex.Message}");
                return ExitCodes.Environment;
            }
            context.Out.WriteLine($"Wrote {outPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static object Json(PriceCatalog catalog, IEnumerable<TokenPrice> tokens, IEnumerable<GpuOffer> offers, IEnumerable<OwnedHardware> owned) => new
    {
        schema = "infercost.catalog/v1",
        catalogs = catalog.Versions,
        tokenPrices = tokens,
        gpuOffers = offers.Select(o =>
        {
            var spec = GpuCatalog.BuiltIn.Find(o.GpuType).Match;
            return new { o.GpuType, o.Provider, o.Route, kind = GpuOffer.KindName(o.Kind), o.UsdPerGpuHour, o.UsdPerGpuSecond, memoryGiB = spec?.MemoryGiB, boardPowerW = spec?.BoardPowerW, o.Provenance };
        }),
        ownedHardware = owned.Select(h =>
        {
            var watts = GpuCatalog.BuiltIn.Find(h.GpuType).Match?.BoardPowerW;
            return new
            {
                h.GpuType, h.CapexUsdPerGpu, h.LifeYears, h.ResidualValueShare, h.CostOfCapital, h.PowerUsdPerKwh, h.Pue, h.OperationsUsdPerGpuYear, h.Basis,
                boardPowerW = watts,
                capitalRecoveryFactor = Math.Round(OwnedHardwareCost.CapitalRecoveryFactor(h.CostOfCapital, h.LifeYears), 9),
                usdPerGpuHour = watts is { } w ? Math.Round(OwnedHardwareCost.UsdPerGpuHour(h, w), 6) : (decimal?)null,
                h.Provenance,
            };
        }),
        operations = catalog.Operations,
    };

    private static string M(decimal? value) => value is { } v ? LiteLlmImporter.Normalize(v).ToString(C) : "—";
}

using System.CommandLine;
using InferCost.Core.Diagnostics;
using InferCost.Core.Pricing;

namespace InferCost.Cli;

/// <summary>The --catalog option: a user's price catalog merged over the built-in one (their entries win).</summary>
internal static class PriceCatalogOptions
{
    public static Option<string?> Create() => new("--catalog")
    {
        Description = $"Your price catalog (JSON, schema {PriceCatalog.Schema}), merged over the built-in {PriceCatalog.BuiltInName}; your entries win.",
    };

    /// <summary>The built-in catalog, with <paramref name="path"/> merged over it; null after printing why
    /// (exit 3 when the file cannot be read, 1 when its content is invalid).</summary>
    public static PriceCatalog? Load(string? path, CommandContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        if (string.IsNullOrEmpty(path))
        {
            return PriceCatalog.BuiltIn;
        }
        if (FlagFile.TryReadBytes(path, context) is not { } bytes)
        {
            exitCode = ExitCodes.Environment;
            return null;
        }
        var result = PriceCatalogReader.Read(new MemoryStream(bytes, writable: false), path);
        foreach (var diagnostic in result.Diagnostics)
        {
            context.Err.WriteLine((diagnostic.Severity == Severity.Warning ? "warning: " : string.Empty) + diagnostic.ToSentence(path));
        }
        if (result.Catalog is null)
        {
            exitCode = ExitCodes.Invalid;
            return null;
        }
        return PriceCatalog.BuiltIn.MergedWith(result.Catalog);
    }

    /// <summary>Models the cost of rows without costUsd; null after printing one sentence per provider/model the
    /// catalog does not price (exit 1).</summary>
    public static ModeledCosts? Model(LoadedTraces loaded, PriceCatalog catalog, CommandContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        var modeled = ModeledCostCalculator.Compute(loaded.CostInputs, catalog, loaded.Hardware);
        if (modeled.Missing.Count == 0)
        {
            return modeled;
        }
        foreach (var missing in modeled.Missing)
        {
            context.Err.WriteLine(missing.Sentence(catalog.Versions));
        }
        exitCode = ExitCodes.Invalid;
        return null;
    }
}

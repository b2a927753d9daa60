using InferCost.Core.Diagnostics;
using InferCost.Core.Fit;

namespace InferCost.Core.Pricing;

/// <summary>The price catalog (<c>catalog/prices.json</c>, schema <c>infercost.prices/v1</c>): token prices, GPU offers,
/// owned-hardware and operations assumptions, every entry dated and sourced. Immutable and thread-safe.</summary>
public sealed class PriceCatalog
{
    public const string Schema = "infercost.prices/v1";
    public const string BuiltInName = "catalog/prices.json";

    private static readonly Lazy<PriceCatalog> BuiltInCatalog = new(() =>
    {
        using var stream = CatalogResources.Open("prices.json");
        var result = PriceCatalogReader.Read(stream, BuiltInName, requireOperations: true);
        return result.Catalog ?? throw new InvalidDataException(string.Join(" ", result.Diagnostics.Select(d => d.ToSentence(BuiltInName))));
    });

    internal PriceCatalog(IReadOnlyList<string> versions, IReadOnlyList<TokenPrice> tokenPrices, IReadOnlyList<GpuOffer> gpuOffers,
        IReadOnlyList<OwnedHardware> ownedHardware, OperationsAssumptions? operations)
    {
        Versions = versions;
        TokenPrices = tokenPrices;
        GpuOffers = gpuOffers;
        OwnedHardware = ownedHardware;
        Operations = operations;
    }

    /// <summary>The catalog shipped inside InferCost.Core.</summary>
    public static PriceCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>"catalog/prices.json 2026-11-22" for each file merged, in merge order.</summary>
    public IReadOnlyList<string> Versions { get; }
    public IReadOnlyList<TokenPrice> TokenPrices { get; }
    public IReadOnlyList<GpuOffer> GpuOffers { get; }
    public IReadOnlyList<OwnedHardware> OwnedHardware { get; }
    /// <summary>Null only in a user's partial file before it is merged over the built-in catalog.</summary>
    public OperationsAssumptions? Operations { get; }

    /// <summary>The price of a provider's model: provider and model (or an alias) compared ignoring case, spaces and
    /// punctuation. Null when the catalog has none.</summary>
    public TokenPrice? FindTokenPrice(string provider, string model)
    {
        var p = NameMatcher.Normalize(provider);
        var m = NameMatcher.Normalize(model);
        return TokenPrices.FirstOrDefault(t => NameMatcher.Normalize(t.Provider) == p
            && (NameMatcher.Normalize(t.Model) == m || t.Aliases.Any(a => NameMatcher.Normalize(a) == m)));
    }

    /// <summary>Offers for a GPU (any name or alias the GPU catalog knows) on a route, cheapest first.</summary>
    public IReadOnlyList<GpuOffer> Offers(string gpuType, string route)
    {
        var canonical = GpuCatalog.BuiltIn.Find(gpuType).Match?.Name ?? gpuType;
        return GpuOffers.Where(o => o.GpuType == canonical && o.Route == route).OrderBy(o => o.UsdPerGpuHour).ThenBy(o => o.Provider, StringComparer.Ordinal).ToList();
    }

    public OwnedHardware? FindOwned(string gpuType)
    {
        var canonical = GpuCatalog.BuiltIn.Find(gpuType).Match?.Name ?? gpuType;
        return OwnedHardware.FirstOrDefault(o => o.GpuType == canonical);
    }

    /// <summary>This catalog with <paramref name="overlay"/>'s entries merged over it: an overlay entry replaces the
    /// entry with the same key (provider+model, provider+gpuType+route+kind, gpuType); new entries are added.</summary>
    public PriceCatalog MergedWith(PriceCatalog overlay)
    {
        static List<T> Merge<T>(IReadOnlyList<T> under, IReadOnlyList<T> over, Func<T, string> key)
        {
            var keys = over.Select(key).ToHashSet(StringComparer.Ordinal);
            return [.. over, .. under.Where(u => !keys.Contains(key(u)))];
        }
        return new PriceCatalog(
            [.. Versions, .. overlay.Versions],
            Merge(TokenPrices, overlay.TokenPrices, t => NameMatcher.Normalize(t.Provider) + "|" + NameMatcher.Normalize(t.Model)),
            Merge(GpuOffers, overlay.GpuOffers, o => $"{NameMatcher.Normalize(o.Provider)}|{o.GpuType}|{o.Route}|{o.Kind}"),
            Merge(OwnedHardware, overlay.OwnedHardware, o => o.GpuType),
            overlay.Operations ?? Operations);
    }
}

/// <summary>A catalog read from a file, or the diagnostics that explain why there is none (warnings may come with a catalog).</summary>
public sealed record PriceCatalogReadResult(PriceCatalog? Catalog, IReadOnlyList<Diagnostic> Diagnostics);

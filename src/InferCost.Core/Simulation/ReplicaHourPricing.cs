using System.Globalization;
using InferCost.Core.Fit;
using InferCost.Core.Pricing;

namespace InferCost.Core.Simulation;

/// <summary>Prices a replica-hour as GPUs per replica × USD per GPU-hour, from the price catalog's GPU offers or
/// from the gpuHourUsd the trace rows carry. Pure.</summary>
public static class ReplicaHourPricing
{
    /// <summary>The catalog's price for <paramref name="gpuCount"/> × <paramref name="gpuType"/>, or null with one
    /// sentence in <paramref name="error"/> that lists the GPUs the catalog prices. The offer chosen: on
    /// <paramref name="route"/> when it is a capacity route with offers for the GPU, the rows' provider when it has
    /// one, else the cheapest; hourly offers only (a replica is held for the whole simulated time, so per-second
    /// serverless prices do not apply).</summary>
    public static ReplicaHourPrice? FromCatalog(PriceCatalog catalog, string gpuType, int gpuCount, string? route, string? provider, out string? error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gpuCount, 1);
        error = null;
        var hourly = catalog.GpuOffers.Where(o => o.Kind != GpuOfferKind.ServerlessPerSecond).ToList();
        var canonical = GpuCatalog.BuiltIn.Find(gpuType).Match?.Name ?? gpuType;
        var offers = hourly.Where(o => string.Equals(o.GpuType, canonical, StringComparison.OrdinalIgnoreCase)).ToList();
        if (offers.Count == 0)
        {
            var known = hourly.Select(o => o.GpuType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            error = $"The price catalog ({string.Join(", ", catalog.Versions)}) has no hourly GPU offer for '{gpuType}'; it prices {string.Join(", ", known)}.";
            return null;
        }
        if (route is not null && offers.Where(o => o.Route == route).ToList() is { Count: > 0 } onRoute)
        {
            offers = onRoute;
        }
        var ordered = offers.OrderBy(o => o.UsdPerGpuHour).ThenBy(o => o.Provider, StringComparer.Ordinal).ToList();
        var offer = (provider is null ? null : ordered.FirstOrDefault(o => NameMatcher.Normalize(o.Provider) == NameMatcher.Normalize(provider)))
            ?? ordered[0];
        var choice = provider is not null && NameMatcher.Normalize(offer.Provider) == NameMatcher.Normalize(provider)
            ? "the rows' provider"
            : $"the cheapest of {ordered.Count} hourly offer(s){(route is not null && offer.Route == route ? " on " + route : "")}";
        var c = CultureInfo.InvariantCulture;
        return new ReplicaHourPrice(offer.UsdPerGpuHour * gpuCount,
            $"price catalog: {offer.Provider} {GpuOffer.KindName(offer.Kind)} {offer.GpuType} ({offer.Route}) at ${offer.UsdPerGpuHour.ToString(c)}/GPU-hour × {gpuCount.ToString(c)} GPU(s), {choice} ({offer.Provenance.Citation})")
        {
            GpuType = offer.GpuType,
            GpuCount = gpuCount,
            UsdPerGpuHour = offer.UsdPerGpuHour,
            CatalogOffer = offer,
        };
    }

    /// <summary>The rows' own GPU-hour price times the GPUs per replica the capacity model gives.</summary>
    public static ReplicaHourPrice FromRows(decimal usdPerGpuHour, string? gpuType, int gpus, string rowsLabel)
    {
        var c = CultureInfo.InvariantCulture;
        return new ReplicaHourPrice(usdPerGpuHour * gpus,
            $"gpuHourUsd of the measured rows ({rowsLabel}): ${usdPerGpuHour.ToString(c)}/GPU-hour × {gpus.ToString(c)} GPU(s)")
        {
            GpuType = gpuType,
            GpuCount = gpus,
            UsdPerGpuHour = usdPerGpuHour,
        };
    }
}

using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Fit;

namespace InferCost.Core.Pricing;

/// <summary>The price of one GPU-hour for a group billed by the hour (dedicated endpoint, self-hosted stack, owned
/// hardware), with where it came from: the rows' own gpuHourUsd, else the catalog's offer from the same provider, else
/// the cheapest offer for that GPU on that route, else owned hardware's amortised cost. Used to check an observed cost
/// against GPU-hour economics, never against per-token prices.</summary>
public sealed record GpuHourRate(string GpuType, long? GpuCount, decimal UsdPerGpuHour, string Source)
{
    /// <summary>Routes whose bill is GPU-hours rather than tokens.</summary>
    public static bool BilledPerGpuHour(string? route) =>
        route is Routes.DedicatedEndpoint or Routes.SelfHostedGpuStack or Routes.OwnedHardware;

    /// <summary>Null when the group gives no single gpuType or nothing prices that GPU on the route.</summary>
    public static GpuHourRate? For(string route, string? provider, GroupHardware? hardware, PriceCatalog catalog)
    {
        if (hardware?.GpuType is not { } gpuType)
        {
            return null;
        }
        if (hardware.GpuHourUsd is { } measured)
        {
            return new GpuHourRate(gpuType, hardware.GpuCount, measured, $"${measured.ToString(CultureInfo.InvariantCulture)}/GPU-hour (gpuHourUsd of the rows)");
        }
        if (route == Routes.OwnedHardware)
        {
            var owned = catalog.FindOwned(gpuType);
            return owned is not null && GpuCatalog.BuiltIn.Find(gpuType).Match?.BoardPowerW is { } watts
                ? new GpuHourRate(gpuType, hardware.GpuCount, Math.Round(OwnedHardwareCost.UsdPerGpuHour(owned, watts), 6), OwnedHardwareCost.Describe(owned, watts))
                : null;
        }
        var offers = catalog.Offers(gpuType, route).Where(o => o.Kind != GpuOfferKind.ServerlessPerSecond).ToList();
        var offer = offers.FirstOrDefault(o => provider is not null && NameMatcher.Normalize(o.Provider) == NameMatcher.Normalize(provider))
                    ?? offers.FirstOrDefault();
        return offer is null ? null : new GpuHourRate(gpuType, hardware.GpuCount, offer.UsdPerGpuHour,
            $"${offer.UsdPerGpuHour.ToString(CultureInfo.InvariantCulture)}/GPU-hour ({offer.Provider} {GpuOffer.KindName(offer.Kind)}, {offer.Provenance.Citation})");
    }
}

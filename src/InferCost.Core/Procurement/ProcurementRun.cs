using InferCost.Core.Curves;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;

namespace InferCost.Core.Procurement;

/// <summary>The procurement matrix from a buyer profile and group sums, priced by the catalog: what
/// <c>infercost procure</c>, <c>report --profile</c> and Studio's Procurement page all compute. Pure.</summary>
public static class ProcurementRun
{
    /// <summary>Economics come from the cost curves (the price catalog's offers for the measured hardware) unless the
    /// profile quotes its own GPU-hour price; without either, the catalog's cheapest offer for the planned GPU prices
    /// the profile's plan.</summary>
    public static ProcurementMatrix Compute(BuyerProfile profile, string profileSource, IReadOnlyDictionary<string, HourlyDemand> demandByWorkload,
        IReadOnlyList<GroupAggregate> aggregates, ReportPricing pricing, MetricsOptions options, ulong seed)
    {
        var full = options with { GroupBy = GroupDimensions.Default };
        pricing = pricing with { Plan = profile.Capacity };
        var metrics = MetricsCalculator.Compute(aggregates, full, pricing.Modeled);
        var plan = profile.Capacity;
        var economics = new Dictionary<string, CapacityEconomics>(StringComparer.Ordinal);
        if (plan?.Route is { } route && plan.UsdPerGpuHour is null)
        {
            foreach (var headline in metrics.Workloads)
            {
                var demand = profile.Workloads.FirstOrDefault(w => w.Name == headline.Workload)?.DemandRequestsPerHour
                    ?? demandByWorkload.GetValueOrDefault(headline.Workload)?.RequestsPerHour;
                var shape = demand is not null && demand.Any(c => c > 0)
                    ? new DemandShape { HourlyWeights = demand.ToArray(), Source = "the profile's hourly demand" }
                    : DemandShape.Flat;
                var curve = CostCurveBuilder.Build(ReportBuilder.CurveInputsFor(headline, metrics, pricing with { Demand = shape }, full));
                if (CurveEconomics.From(curve, route) is { } fromCurve)
                {
                    economics[headline.Workload] = fromCurve;
                }
            }
        }
        GpuHourPrice? catalogPrice = null;
        if (plan?.Gpu is { } gpu && plan.Route is { } planned && pricing.Catalog.Offers(gpu, planned).FirstOrDefault() is { } offer)
        {
            catalogPrice = new GpuHourPrice(offer.UsdPerGpuHour, $"price catalog: {offer.Provider} {offer.GpuType} ({offer.Provenance.Citation})");
        }
        return ProcurementCalculator.Compute(new ProcurementInputs
        {
            Profile = profile,
            ProfileSource = profileSource,
            Metrics = metrics,
            Demand = demandByWorkload,
            Economics = economics,
            CatalogGpuHourPrice = catalogPrice,
            Seed = seed,
            Hardware = pricing.Hardware,
        });
    }
}

using InferCost.Core.Curves;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Reporting;

namespace InferCost.Studio.Hosting;

/// <summary>Modeled costs for a snapshot, or the sentences naming what the price catalog cannot price.</summary>
public sealed record SnapshotPricing(ReportPricing? Pricing, IReadOnlyList<string> Missing);

/// <summary>Metrics, report models and cost curves for a snapshot, computed by the same Core calls the CLI makes
/// (built-in price catalog, flat demand) and memoised per snapshot and options: a 1M-row ledger is aggregated once
/// per import list, not once per request.</summary>
public sealed class StudioData(LedgerStore store)
{
    public LedgerStore Store => store;

    public LedgerSnapshot Snapshot() => store.Current();

    /// <summary>Ledger sums for modeled cost (grouped as asked) and hardware (full detail), priced by the built-in catalog.</summary>
    public SnapshotPricing Pricing(LedgerSnapshot snapshot, IReadOnlyList<GroupDimension> groupBy) =>
        snapshot.Memo("pricing|" + string.Join(",", groupBy), () =>
        {
            var catalog = PriceCatalog.BuiltIn;
            var (costInputs, hardware) = store.WithLedger(l => (l.AggregateCostInputs(groupBy), l.AggregateHardware(GroupDimensions.Default)));
            var modeled = ModeledCostCalculator.Compute(costInputs, catalog, hardware);
            return modeled.Missing.Count > 0
                ? new SnapshotPricing(null, modeled.Missing.Select(m => m.Sentence(catalog.Versions)).ToList())
                : new SnapshotPricing(new ReportPricing(modeled, hardware, catalog, DemandShape.Flat), []);
        });

    /// <summary>As <c>infercost metrics</c>; null with <paramref name="missing"/> when a row's cost cannot be modeled.</summary>
    public MetricsResult? Metrics(LedgerSnapshot snapshot, MetricsQuery query, MetricsOptions options, out IReadOnlyList<string> missing)
    {
        var pricing = Pricing(snapshot, options.GroupBy);
        missing = pricing.Missing;
        return pricing.Pricing is not { } priced ? null : snapshot.Memo("metrics|" + query.Key(options),
            () => MetricsCalculator.Compute(store.Aggregates(snapshot, options.GroupBy), options, priced.Modeled));
    }

    /// <summary>As <c>infercost report</c>: the report model over the default grouping, with the cost curves.</summary>
    public ReportModel? Report(LedgerSnapshot snapshot, MetricsQuery query, MetricsOptions options, out IReadOnlyList<string> missing)
    {
        var pricing = Pricing(snapshot, GroupDimensions.Default);
        missing = pricing.Missing;
        return pricing.Pricing is not { } priced ? null : snapshot.Memo("report|" + query.Key(options),
            () => ReportBuilder.Build(store.Aggregates(snapshot, GroupDimensions.Default), options, snapshot.Inputs, pricing: priced));
    }

    /// <summary>As <c>infercost curve</c>, with the what-if adjustments and reference volume of the sliders.</summary>
    public CostCurve? Curve(LedgerSnapshot snapshot, string workload, MetricsQuery query, MetricsOptions options, CurveAdjustments adjustments, double volume, out IReadOnlyList<string> missing)
    {
        var full = options with { GroupBy = GroupDimensions.Default };
        var metrics = Metrics(snapshot, query with { By = null }, full, out missing);
        if (metrics?.Workloads.FirstOrDefault(w => w.Workload == workload) is not { } headline)
        {
            return null;
        }
        var pricing = Pricing(snapshot, GroupDimensions.Default).Pricing!;
        CostCurve Build() => CostCurveBuilder.Build(ReportBuilder.CurveInputsFor(headline, metrics, pricing, full) with
        {
            ReferenceMonthlyAcceptedOutputs = volume,
            Adjustments = adjustments,
        });
        // Only the as-measured curve is memoised: slider positions are unbounded and cheap to recompute.
        return adjustments.IsNone
            ? snapshot.Memo(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"curve|{workload}|{query.Key(full)}|{volume}"), Build)
            : Build();
    }
}

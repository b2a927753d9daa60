using InferCost.Core.Metrics;
using InferCost.Core.Reporting;

namespace InferCost.Studio.Hosting;

/// <summary>Metrics and report models for a snapshot, computed by the same Core calls the CLI makes and memoised
/// per snapshot and options: a 1M-row ledger is aggregated once per import list, not once per request.</summary>
public sealed class StudioData(LedgerStore store)
{
    public LedgerStore Store => store;

    public LedgerSnapshot Snapshot() => store.Current();

    /// <summary>As <c>infercost metrics</c>: aggregates grouped by the options' dimensions.</summary>
    public MetricsResult Metrics(LedgerSnapshot snapshot, MetricsQuery query, MetricsOptions options) =>
        snapshot.Memo("metrics|" + query.Key(options), () => MetricsCalculator.Compute(store.Aggregates(snapshot, options.GroupBy), options));

    /// <summary>As <c>infercost report</c>: the report model over the default grouping.</summary>
    public ReportModel Report(LedgerSnapshot snapshot, MetricsQuery query, MetricsOptions options) =>
        snapshot.Memo("report|" + query.Key(options), () => ReportBuilder.Build(store.Aggregates(snapshot, GroupDimensions.Default), options, snapshot.Inputs));
}

using InferCost.Core.Sizing;
using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Fit;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;

namespace InferCost.Core.Curves;

/// <summary>A capacity route priced without a measured capacity row: per-replica throughput from <c>fit</c>'s
/// bandwidth-bound decode ceiling for the workload's measured model on a catalog GPU, acceptance from the workload's
/// best measured group. An upper bound (compute, interconnect and scheduling are ignored), so every figure it yields
/// is marked as an estimate. Pure and thread-safe.</summary>
internal static class FitCapacityEstimate
{
    /// <summary>One hardware choice for a route: a GPU type with its hourly cost and where that cost comes from.</summary>
    private sealed record HourlyOption(string GpuType, decimal UsdPerGpuHour, string Source);

    /// <summary>The group whose model and acceptance the estimate uses: a measured group whose model the model catalog
    /// knows, preferring one that meets the p95 target, then the highest acceptance. Null with a reason when none.</summary>
    public static (GroupMetrics? Group, ModelCatalogEntry? Model, string? Reason) Source(IReadOnlyList<GroupMetrics> groups, Func<GroupMetrics, bool> meets)
    {
        var usable = groups.Where(g => g.Model is not null && g.OutputTokens > 0 && g.AcceptedOutputRate > 0).ToList();
        if (usable.Count == 0)
        {
            return (null, null, "no measured group has a model, output tokens and a non-zero acceptance to estimate from");
        }
        var known = usable
            .Select(g => (Group: g, Entry: ModelCatalog.BuiltIn.Find(g.Model!).Match))
            .Where(x => x.Entry is not null)
            .OrderByDescending(x => meets(x.Group)).ThenByDescending(x => x.Group.AcceptedOutputRate).ThenBy(x => x.Group.Label, StringComparer.Ordinal)
            .FirstOrDefault();
        return known.Entry is null
            ? (null, null, $"the model catalog knows none of the measured models ({string.Join(", ", usable.Select(g => g.Model).Distinct().Order(StringComparer.Ordinal))}), so fit cannot estimate a decode ceiling")
            : (known.Group, known.Entry, null);
    }

    /// <summary>The cheapest estimated replica for <paramref name="route"/> at full use, or null with the reason.</summary>
    public static (CapacityRouteModel? Model, string? Reason) Build(
        string route, GroupMetrics group, ModelCatalogEntry entry, CurveInputs inputs,
        double gpuPrice, double utilization, double acceptanceFactor, bool meets)
    {
        var options = HourlyOptions(route, inputs.Catalog);
        if (options.Count == 0)
        {
            return (null, route == Routes.OwnedHardware ? "the price catalog has no owned-hardware entry for a catalog GPU with a board power" : "the price catalog has no hourly GPU offer for this route");
        }
        var context = Math.Max(1, (long)Math.Ceiling(group.InputTokens + group.OutputTokens));
        var batch = (int)Math.Clamp(group.Concurrency ?? 1, 1, 4096);
        var acceptance = Math.Min(1, group.AcceptedOutputRate!.Value * acceptanceFactor); // Source keeps only groups with acceptance > 0
        var operations = inputs.Catalog.Operations;
        var hasOperations = route != Routes.DedicatedEndpoint && operations is not null;
        var c = CultureInfo.InvariantCulture;

        CapacityRouteModel? best = null;
        decimal bestAtFullUse = decimal.MaxValue;
        foreach (var option in options)
        {
            if (GpuCatalog.BuiltIn.Find(option.GpuType).Match is not { } gpu)
            {
                continue;
            }
            var fit = FitCalculator.Compute(new FitRequest
            {
                Model = entry.Architecture,
                Gpu = gpu,
                ContextTokens = context,
                Batch = batch,
                Weights = entry.Architecture.NativeWeights,
                Alternatives = [gpu],
            });
            if (fit.Alternatives[0] is not { MinGpus: { } gpus, Plan: { DecodeCeiling.AggregateTokensPerSecond: { } tokensPerSecond } fitPlan } || tokensPerSecond <= 0)
            {
                continue;
            }
            // The ceiling counts every decoded token; only the accepted share of outputs counts towards capacity.
            var perReplica = tokensPerSecond / group.OutputTokens * acceptance * utilization;
            var usdPerGpuHour = Math.Round(option.UsdPerGpuHour * (decimal)gpuPrice, 6);
            var atFullUse = gpus * usdPerGpuHour / (decimal)perReplica;
            if (atFullUse >= bestAtFullUse)
            {
                continue;
            }
            bestAtFullUse = atFullUse;
            var ceiling = string.Create(c, $"fit's decode ceiling (bandwidth bound): {tokensPerSecond:0.#} tokens/s for {batch} session(s) of {context} tokens, {PrecisionFormat.Name(entry.Architecture.NativeWeights)} weights on {gpus} × {gpu.Name} ({gpu.MemoryGiB:0.#} GiB, {gpu.MemoryBandwidthBytesPerSecond / 1e12:0.##} TB/s; catalog/gpus.json, {gpu.EffectiveDate:yyyy-MM-dd}, {gpu.Source})");
            best = new CapacityRouteModel
            {
                Route = route,
                Basis = $"estimate: no measured capacity row; {entry.Name} on {gpus} × {gpu.Name} from fit's decode ceiling, acceptance from {group.Label}",
                Group = group.Label,
                GpuType = gpu.Name,
                GpuCount = gpus,
                UsdPerGpuHour = usdPerGpuHour,
                HourlyPriceSource = option.Source,
                FixedUsdPerMonth = hasOperations ? operations!.SelfHostedOperationsUsdPerMonth : 0,
                FixedCostSource = hasOperations
                    ? $"operations: {operations!.SelfHostedEngineerHoursPerMonth.ToString(c)} engineer h/month × ${operations.EngineerUsdPerHour.ToString(c)}/h ({operations.Provenance.Citation})"
                    : null,
                AcceptedOutputsPerSecondPerReplica = perReplica,
                ReviewCostPerAcceptedOutputUsd = Math.Round(group.ReviewCostPerOutputUsd / (decimal)acceptance, 9),
                FloorReplicas = operations?.AutoscalingFloorReplicas ?? 1,
                MeetsP95Target = meets,
                Estimate = true,
                Replica = new ReplicaShape
                {
                    GpusPerReplica = gpus,
                    Origin = GpuCountOrigin.Fit,
                    GpuCountSource = string.Create(c, $"fit: the fewest that hold {entry.Name}, {PrecisionFormat.Name(entry.Architecture.NativeWeights)} weights, {gpu.Name}, {context:#,0}-token sessions, batch {batch} (no measured capacity row)"),
                    MaxSessionsPerReplica = (int)Math.Min(fitPlan.MaxConcurrentSessions, int.MaxValue),
                    MaxSessionsSource = string.Create(c, $"fit at {gpus} × {gpu.Name}"),
                    FitMinGpus = gpus,
                },
                Source = $"{ceiling}; model catalog entry {entry.Name} (catalog/models.json {ModelCatalog.BuiltIn.Version}, {entry.Source}); price: {option.Source}; "
                    + string.Create(c, $"acceptance {acceptance:0.###} and {group.OutputTokens:0.#} output tokens per request from {group.Label}; an upper bound: compute, interconnect and scheduling are ignored"),
            };
        }
        return best is null
            ? (null, string.Create(c, $"{entry.Name} at {context} tokens × {batch} session(s) fits no GPU the price catalog offers for this route (up to {FitCalculator.MaxGpus} GPUs)"))
            : (best, null);
    }

    private static List<HourlyOption> HourlyOptions(string route, PriceCatalog catalog)
    {
        if (route == Routes.OwnedHardware)
        {
            var owned = new List<HourlyOption>();
            foreach (var entry in catalog.OwnedHardware)
            {
                if (GpuCatalog.BuiltIn.Find(entry.GpuType).Match?.BoardPowerW is { } watts)
                {
                    owned.Add(new HourlyOption(entry.GpuType, Math.Round(OwnedHardwareCost.UsdPerGpuHour(entry, watts), 6), OwnedHardwareCost.Describe(entry, watts)));
                }
            }
            return owned;
        }
        // Per-second serverless offers scale to zero and are not billed as a replica held for 730 h a month.
        return catalog.GpuOffers
            .Where(o => o.Route == route && o.Kind != GpuOfferKind.ServerlessPerSecond)
            .Select(o => new HourlyOption(o.GpuType, o.UsdPerGpuHour, GpuOfferSource(o)))
            .ToList();
    }

    public static string GpuOfferSource(GpuOffer offer) =>
        $"{offer.Provider} {GpuOffer.KindName(offer.Kind)} {offer.GpuType} at ${offer.UsdPerGpuHour.ToString(CultureInfo.InvariantCulture)}/GPU-hour ({offer.Provenance.Citation})";
}

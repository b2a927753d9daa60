using InferCost.Core.Metrics;

namespace InferCost.Core.Pricing;

/// <summary>What the price catalog says one group's rows cost. Sums are Σ w · USD per output, like the ledger's.</summary>
public sealed record GroupCostModel
{
    public required GroupKey Key { get; init; }
    /// <summary>Σ w of the rows without costUsd, and what they are modeled to cost (batch lane where eligible and offered).</summary>
    public required double ModeledWeight { get; init; }
    public required decimal ModeledCostUsd { get; init; }
    /// <summary>The same rows at live prices; differs from <see cref="ModeledCostUsd"/> only when a batch lane was used.</summary>
    public required decimal LiveModeledCostUsd { get; init; }
    public required double BatchPricedWeight { get; init; }
    /// <summary>Σ w of the rows with costUsd, their observed cost, and what the catalog says they cost (null when some of
    /// those rows have no catalog price).</summary>
    public required double ObservedWeight { get; init; }
    public required decimal ObservedCostUsd { get; init; }
    public required decimal? ModeledCostOfObservedUsd { get; init; }
    /// <summary>True for routes billed per GPU-hour (dedicated, self-hosted, owned): their observed cost is checked
    /// against <see cref="GpuHourRate"/>, never against per-token prices, so <see cref="ModeledCostOfObservedUsd"/> is null.</summary>
    public bool BilledPerGpuHour { get; init; }
    /// <summary>The GPU-hour price for that check; null when the rows name no GPU or nothing prices it.</summary>
    public GpuHourRate? GpuHourRate { get; init; }
    /// <summary>The catalog entries used, one citation each ("OpenAI gpt-4.1-mini: catalog/prices.json, 2025-04-14, https://…").</summary>
    public required IReadOnlyList<string> PriceCitations { get; init; }
}

/// <summary>A provider/model whose rows need a modeled cost but which the catalog does not price.</summary>
public sealed record MissingPrice(string Provider, string Model, long Rows)
{
    public string Sentence(IReadOnlyList<string> catalogs) =>
        $"No token price for provider \"{Provider}\" model \"{Model}\" ({Rows} row{(Rows == 1 ? "" : "s")} without costUsd) in {string.Join(" + ", catalogs)}; add it with --catalog FILE or give costUsd in the traces.";
}

/// <summary>Every group's cost model, the prices the catalog lacks, and the catalog files used (with versions).</summary>
public sealed record ModeledCosts(IReadOnlyDictionary<GroupKey, GroupCostModel> ByGroup, IReadOnlyList<MissingPrice> Missing, IReadOnlyList<string> Catalogs)
{
    /// <summary>How modeled cost is computed, printed with every result that uses it.</summary>
    public const string Formula =
        "modeled cost per output = (uncached input × input price + cached input × cached-input price + cache writes × cache-write price + output × output price) × (1 + retryRate); " +
        "cached input = cachedInputTokens, or inputTokens × cacheHitRate; batch-eligible rows without costUsd use the batch lane where the catalog has one (cache prices get the same discount); " +
        "an observed cost is checked against live prices, and on routes billed per GPU-hour against gpuCount × $/GPU-hour ÷ (concurrency × outputTokensPerSecond ÷ outputTokens outputs per second, the throughput at the measured utilization)";
}

/// <summary>Models per-output cost from token counts and catalog prices. Pure and thread-safe.
/// cost = uncached input × input price + cached input × cached price + cache writes × write price + output × output price,
/// with token counts already multiplied by (1 + retryRate). A lane the provider lacks falls back to the input price;
/// a batch-eligible row is priced in the batch lane where the catalog has one, and cache reads and writes then get the
/// same discount (batch input ÷ input), as providers that offer both document.</summary>
public static class ModeledCostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <param name="hardware">The GPUs each group ran on (full detail), for the GPU-hour check of capacity routes.</param>
    public static ModeledCosts Compute(IEnumerable<CostInputAggregate> inputs, PriceCatalog catalog, IReadOnlyList<GroupHardware>? hardware = null)
    {
        var gpus = (hardware ?? []).ToDictionary(h => h.Key);
        var byGroup = new Dictionary<GroupKey, GroupCostModel>();
        var missing = new Dictionary<(string, string), long>();
        foreach (var group in inputs.GroupBy(i => i.Key))
        {
            double modeledWeight = 0, batchWeight = 0, observedWeight = 0;
            decimal modeled = 0, live = 0, observed = 0, modeledOfObserved = 0;
            var observedPriced = true;
            var citations = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var part in group)
            {
                var price = catalog.FindTokenPrice(part.Provider, part.Model);
                if (price is not null)
                {
                    citations.Add($"{price.Provider} {price.Model}: {price.Provenance.Citation}");
                }
                if (part.HasObservedCost)
                {
                    observedWeight += part.Weight;
                    observed += part.WeightedObservedCostUsd;
                    if (price is null)
                    {
                        observedPriced = false;
                    }
                    else
                    {
                        // An observed cost was paid live: eligibility for a batch lane is not use of it.
                        modeledOfObserved += Cost(part, price, batch: false);
                    }
                    continue;
                }
                if (price is null)
                {
                    missing[(part.Provider, part.Model)] = missing.GetValueOrDefault((part.Provider, part.Model)) + part.Rows;
                    continue;
                }
                modeledWeight += part.Weight;
                modeled += Cost(part, price, part.BatchEligible);
                live += Cost(part, price, batch: false);
                if (part.BatchEligible && price.HasBatchLane)
                {
                    batchWeight += part.Weight;
                }
            }
            var byHour = GpuHourRate.BilledPerGpuHour(group.Key.Route);
            byGroup[group.Key] = new GroupCostModel
            {
                BilledPerGpuHour = byHour,
                GpuHourRate = byHour ? GpuHourRate.For(group.Key.Route!, group.Key.Provider, gpus.GetValueOrDefault(group.Key), catalog) : null,
                Key = group.Key,
                ModeledWeight = modeledWeight,
                ModeledCostUsd = modeled,
                LiveModeledCostUsd = live,
                BatchPricedWeight = batchWeight,
                ObservedWeight = observedWeight,
                ObservedCostUsd = observed,
                ModeledCostOfObservedUsd = observedWeight > 0 && observedPriced && !byHour ? modeledOfObserved : null,
                PriceCitations = citations.ToList(),
            };
        }
        var missingList = missing.Select(m => new MissingPrice(m.Key.Item1, m.Key.Item2, m.Value))
            .OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal).ToList();
        return new ModeledCosts(byGroup, missingList, catalog.Versions);
    }

    /// <summary>Σ w · modeled USD per output of one part, in the batch lane when asked for and offered.</summary>
    public static decimal Cost(CostInputAggregate part, TokenPrice price, bool batch)
    {
        var (input, output, discount) = batch && price.HasBatchLane
            ? (price.BatchInputUsdPerMTok!.Value, price.BatchOutputUsdPerMTok!.Value, price.InputUsdPerMTok > 0 ? price.BatchInputUsdPerMTok!.Value / price.InputUsdPerMTok : 1m)
            : (price.InputUsdPerMTok, price.OutputUsdPerMTok, 1m);
        var cached = (price.CachedInputUsdPerMTok ?? price.InputUsdPerMTok) * discount;
        var write = (price.CacheWriteUsdPerMTok ?? price.InputUsdPerMTok) * discount;
        return ((decimal)part.WeightedUncachedInputTokens * input
              + (decimal)part.WeightedCachedInputTokens * cached
              + (decimal)part.WeightedCacheWriteTokens * write
              + (decimal)part.WeightedOutputTokens * output) / PerMillion;
    }
}

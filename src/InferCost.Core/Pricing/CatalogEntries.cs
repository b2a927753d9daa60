namespace InferCost.Core.Pricing;

/// <summary>Where a catalog figure comes from: the date it took effect (or was recorded) and the page it was read from.</summary>
/// <param name="Catalog">The catalog file the entry was read from (the built-in catalog or a user's --catalog file).</param>
public sealed record PriceProvenance(DateOnly EffectiveDate, string Source, string Catalog)
{
    /// <summary>"catalog/prices.json, 2025-04-14, https://…": what a modeled number cites.</summary>
    public string Citation => $"{Catalog}, {EffectiveDate:yyyy-MM-dd}, {Source}";
}

/// <summary>Per-token prices of one provider/model, USD per million tokens. A null lane is one the provider does not
/// offer. Immutable.</summary>
public sealed record TokenPrice
{
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required decimal InputUsdPerMTok { get; init; }
    public decimal? CachedInputUsdPerMTok { get; init; }
    public decimal? CacheWriteUsdPerMTok { get; init; }
    public required decimal OutputUsdPerMTok { get; init; }
    public decimal? BatchInputUsdPerMTok { get; init; }
    public decimal? BatchOutputUsdPerMTok { get; init; }
    public required PriceProvenance Provenance { get; init; }

    /// <summary>True when the provider has a batch lane for this model (both batch prices given).</summary>
    public bool HasBatchLane => BatchInputUsdPerMTok is not null && BatchOutputUsdPerMTok is not null;
}

/// <summary>The kind of a GPU offer.</summary>
public enum GpuOfferKind
{
    OnDemand,
    Reserved,
    ServerlessPerSecond,
}

/// <summary>One provider's price for one GPU, for one capacity route. Memory and board power are the GPU catalog's
/// (<see cref="Fit.GpuCatalog"/>), looked up by <see cref="GpuType"/>. Immutable.</summary>
public sealed record GpuOffer
{
    /// <summary>The GPU catalog's canonical name (an alias in the file is resolved on reading).</summary>
    public required string GpuType { get; init; }
    public required string Provider { get; init; }
    /// <summary>"Dedicated endpoint" or "Self-hosted GPU stack".</summary>
    public required string Route { get; init; }
    public required GpuOfferKind Kind { get; init; }
    public required decimal UsdPerGpuHour { get; init; }
    /// <summary>The per-second price a serverless offer is quoted in; null for hourly offers.</summary>
    public decimal? UsdPerGpuSecond { get; init; }
    public required PriceProvenance Provenance { get; init; }

    public static string KindName(GpuOfferKind kind) => kind switch
    {
        GpuOfferKind.OnDemand => "on-demand",
        GpuOfferKind.Reserved => "reserved",
        _ => "serverless-per-second",
    };
}

/// <summary>Assumptions for buying one GPU (with its share of the server) and running it. Immutable.</summary>
public sealed record OwnedHardware
{
    public required string GpuType { get; init; }
    public required decimal CapexUsdPerGpu { get; init; }
    public required int LifeYears { get; init; }
    /// <summary>Resale value at the end of life as a share of capex, 0..1.</summary>
    public required decimal ResidualValueShare { get; init; }
    /// <summary>Annual cost of capital (discount rate), e.g. 0.08.</summary>
    public required decimal CostOfCapital { get; init; }
    public required decimal PowerUsdPerKwh { get; init; }
    /// <summary>Power usage effectiveness of the facility, ≥ 1.</summary>
    public required decimal Pue { get; init; }
    public required decimal OperationsUsdPerGpuYear { get; init; }
    /// <summary>"estimate" for planning figures, "quote" for a vendor's quote.</summary>
    public string Basis { get; init; } = "estimate";
    public required PriceProvenance Provenance { get; init; }
}

/// <summary>Route-level operations assumptions. Immutable.</summary>
public sealed record OperationsAssumptions
{
    /// <summary>Engineer hours per month a self-hosted stack needs (serving, upgrades, observability, incidents).</summary>
    public required decimal SelfHostedEngineerHoursPerMonth { get; init; }
    public required decimal EngineerUsdPerHour { get; init; }
    /// <summary>Replicas a capacity route keeps running at zero demand.</summary>
    public required int AutoscalingFloorReplicas { get; init; }
    public required PriceProvenance Provenance { get; init; }

    public decimal SelfHostedOperationsUsdPerMonth => SelfHostedEngineerHoursPerMonth * EngineerUsdPerHour;
}

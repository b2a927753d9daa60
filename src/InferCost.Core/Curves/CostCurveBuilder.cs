using System.Globalization;
using InferCost.Core.Sizing;
using InferCost.Core.Contract;
using InferCost.Core.Fit;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;

namespace InferCost.Core.Curves;

/// <summary>What one workload's cost curve is built from: its measured groups (full detail), their hardware and the catalog.</summary>
public sealed record CurveInputs
{
    public const double DefaultReferenceMonthlyAcceptedOutputs = 1_000_000;

    public required string Workload { get; init; }
    public required double? TargetP95Ms { get; init; }
    /// <summary>The workload's groups at full detail (route, provider, model, workload, concurrency).</summary>
    public required IReadOnlyList<GroupMetrics> Groups { get; init; }
    public required IReadOnlyDictionary<GroupKey, GroupHardware> Hardware { get; init; }
    public required PriceCatalog Catalog { get; init; }
    public required decimal ReviewerUsdPerHour { get; init; }
    public DemandShape Demand { get; init; } = DemandShape.Flat;
    /// <summary>The volume at which the sensitivity table compares routes, accepted outputs per month.</summary>
    public double ReferenceMonthlyAcceptedOutputs { get; init; } = DefaultReferenceMonthlyAcceptedOutputs;
    /// <summary>What-if multipliers on the drivers (Studio's sliders); all 1 = as measured and priced.</summary>
    public CurveAdjustments Adjustments { get; init; } = CurveAdjustments.None;
    /// <summary>The buyer profile's capacity plan (procure, report --profile): its gpuCount, model, context and batch
    /// size the replicas of the rows it describes (<see cref="CapacityModel"/>); null: the rows and fit decide.</summary>
    public Procurement.CapacityPlan? Plan { get; init; }
}

/// <summary>Multipliers on the curve's drivers: token prices, GPU hourly cost, cache hit rate and acceptance rate
/// (capped at 100%, as in the sensitivity table). 1 leaves a driver as measured and priced.</summary>
public sealed record CurveAdjustments(double TokenPrice = 1, double GpuPrice = 1, double CacheHitRate = 1, double Acceptance = 1)
{
    public static CurveAdjustments None { get; } = new();

    public bool IsNone => this == None;
}

/// <summary>Builds a workload's <see cref="CostCurve"/>. Pure and thread-safe.
/// Per-token routes (managed API, serverless) cost the same per accepted output at every volume; capacity routes
/// (dedicated endpoint, self-hosted, owned hardware) cost replicas × GPUs × hourly cost × 730 h per month, so their
/// cost per accepted output falls with volume and steps up when a replica saturates.</summary>
public static class CostCurveBuilder
{
    public const double MinVolume = 1e3;
    public const double MaxVolume = 1e9;
    public const int PointsPerDecade = 4;
    public const double SensitivityStep = 0.2;

    private static readonly string[] PerTokenRoutes = [Routes.ManagedFrontierApi, Routes.HostedOpenWeightServerless];
    private static readonly string[] CapacityRoutes = [Routes.DedicatedEndpoint, Routes.SelfHostedGpuStack, Routes.OwnedHardware];

    /// <summary>Multipliers on the five sensitivity drivers (1 = as measured / as priced).</summary>
    private sealed record Drivers(double TokenPrice = 1, double GpuPrice = 1, double CacheHitRate = 1, double Acceptance = 1, double Utilization = 1)
    {
        public static Drivers From(CurveAdjustments a) => new(a.TokenPrice, a.GpuPrice, a.CacheHitRate, a.Acceptance);

        /// <summary>A sensitivity step applied on top of the user's adjustments.</summary>
        public Drivers Times(Drivers o) => new(TokenPrice * o.TokenPrice, GpuPrice * o.GpuPrice, CacheHitRate * o.CacheHitRate, Acceptance * o.Acceptance, Utilization * o.Utilization);
    }

    private static readonly (string Name, string Applies, Func<double, Drivers> Make)[] DriverTable =
    [
        ("token price", "per-token routes' cost per output", f => new Drivers(TokenPrice: f)),
        ("GPU price", "capacity routes' hourly GPU cost (owned hardware: its whole hourly cost)", f => new Drivers(GpuPrice: f)),
        ("cache hit rate", "per-token routes with a catalog price: cached input at the cached-input price (capacity throughput held fixed)", f => new Drivers(CacheHitRate: f)),
        ("acceptance rate", "every route, capped at 100%: outputs needed per accepted output and review per accepted output", f => new Drivers(Acceptance: f)),
        ("utilization", "capacity routes' usable share of the measured per-replica throughput", f => new Drivers(Utilization: f)),
    ];

    public static CostCurve Build(CurveInputs inputs)
    {
        var omitted = new List<string>();
        var adjusted = Drivers.From(inputs.Adjustments);
        var (perToken, capacity) = RouteModels(inputs, adjusted, omitted);
        var peak = inputs.Demand.PeakFactor;

        var points = new List<CurvePoint>();
        var steps = (int)Math.Round(Math.Log10(MaxVolume / MinVolume) * PointsPerDecade);
        for (var i = 0; i <= steps; i++)
        {
            var volume = Math.Round(MinVolume * Math.Pow(10, (double)i / PointsPerDecade));
            var routes = new SortedDictionary<string, RoutePoint>(Comparer<string>.Create((a, b) => Routes.Order(a).CompareTo(Routes.Order(b))));
            foreach (var p in perToken)
            {
                routes[p.Route] = new RoutePoint(p.CostPerAcceptedOutputUsd, Math.Round(p.CostPerAcceptedOutputUsd * (decimal)volume, 2), null);
            }
            foreach (var c in capacity)
            {
                var replicas = c.Replicas(volume, peak);
                routes[c.Route] = new RoutePoint(c.CostPerAcceptedOutputUsd(volume, peak), c.MonthlyCostUsd(replicas), replicas);
            }
            points.Add(new CurvePoint(volume, routes));
        }

        var breakEvens = new List<BreakEven>();
        foreach (var c in capacity)
        {
            foreach (var p in perToken)
            {
                var volume = c.BreakEvenMonthlyAcceptedOutputs(p.CostPerAcceptedOutputUsd, peak);
                var point = c.BreakEvenPoint(p.CostPerAcceptedOutputUsd, peak);
                var reason = volume is not null ? null
                    : c.ReviewCostPerAcceptedOutputUsd >= p.CostPerAcceptedOutputUsd ? "its review cost per accepted output alone is at least the per-token route's cost"
                    : "even fully used, a replica costs more per accepted output than the per-token route";
                breakEvens.Add(new BreakEven(c.Route, p.Route, volume, point?.Utilization, reason) { Replicas = point?.Replicas });
            }
        }

        var baseAnswer = Answer(perToken, capacity, inputs.ReferenceMonthlyAcceptedOutputs, peak);
        var sensitivity = new List<SensitivityRow>();
        foreach (var (name, applies, make) in DriverTable)
        {
            var low = Case(inputs, adjusted.Times(make(1 - SensitivityStep)), "-20%");
            var high = Case(inputs, adjusted.Times(make(1 + SensitivityStep)), "+20%");
            sensitivity.Add(new SensitivityRow(name, applies, low, high,
                Swing(low.CostPerAcceptedOutputUsd, high.CostPerAcceptedOutputUsd, baseAnswer.CostPerAcceptedOutputUsd),
                Swing(low.BreakEvenMonthlyAcceptedOutputs, high.BreakEvenMonthlyAcceptedOutputs, baseAnswer.BreakEvenMonthlyAcceptedOutputs)));
        }
        var most = sensitivity.Where(s => s.CostSwingShare is not null)
            .OrderByDescending(s => s.CostSwingShare).ThenByDescending(s => s.BreakEvenSwingShare ?? 0).FirstOrDefault();

        return new CostCurve
        {
            Workload = inputs.Workload,
            Assumptions = new CurveAssumptions
            {
                MinMonthlyAcceptedOutputs = MinVolume,
                MaxMonthlyAcceptedOutputs = MaxVolume,
                ReferenceMonthlyAcceptedOutputs = inputs.ReferenceMonthlyAcceptedOutputs,
                Demand = inputs.Demand.Source,
                PeakFactor = peak,
                TargetP95Ms = inputs.TargetP95Ms,
                ReviewerUsdPerHour = inputs.ReviewerUsdPerHour,
                PriceCatalogs = inputs.Catalog.Versions,
                Notes =
                [
                    "cost per accepted output includes review time, as the headline metric does",
                    "per-token routes: (cost per output + review per output) ÷ acceptance, the same at every volume",
                    "capacity routes: monthly cost = replicas × GPUs per replica × hourly GPU cost × 730 h (+ operations for self-hosted and owned); replicas = max(autoscaling floor, ceil(peak-hour demand ÷ per-replica capacity)); per-replica capacity = throughputHeadroomTokensPerSecond ÷ outputTokens of the measured row",
                    "GPUs per replica: the rows' gpuCount, else the buyer profile's capacity.gpuCount (when it describes the rows), else fit's fewest GPUs holding the model at the rows' context (input + output tokens) and concurrency; fit's sessions per replica cap the measured concurrency (each route's line says which applied)",
                    "each route stands for its cheapest group meeting the p95 target (cheapest at full use for capacity routes); a route whose groups all miss the target is drawn from its best group and marked",
                    "a capacity route without its own measured row is modeled from another capacity route's measured throughput on the same GPU, and says so in its basis",
                    .. capacity.Any(c => c.Estimate) ? ["with no measured capacity row at all, a capacity route is estimated (marked estimate) from fit's bandwidth-bound decode ceiling for the best measured group's model on the catalog GPU cheapest per accepted output at full use (fewest GPUs that fit its context and concurrency), × that group's acceptance ÷ its output tokens: an upper bound"] : Array.Empty<string>(),
                    "owned hardware runs at full board power around the clock (a conservative power cost) and carries the self-hosted operations cost besides its per-GPU operations",
                    $"the sensitivity table moves one driver by ±{Fmt.Share(SensitivityStep)} and reports the cheapest route at the reference volume and the break-even of the best capacity route against the best per-token route",
                    .. inputs.Adjustments.IsNone ? Array.Empty<string>() :
                    [
                        string.Create(CultureInfo.InvariantCulture, $"what-if adjustments (not measured): token price ×{inputs.Adjustments.TokenPrice:0.###}, GPU price ×{inputs.Adjustments.GpuPrice:0.###}, cache hit rate ×{inputs.Adjustments.CacheHitRate:0.###}, acceptance ×{inputs.Adjustments.Acceptance:0.###}"),
                    ],
                ],
            },
            PerTokenRoutes = perToken,
            CapacityRoutes = capacity,
            Omitted = omitted,
            Points = points,
            BreakEvens = breakEvens,
            Sensitivity = sensitivity,
            MostSensitiveDriver = most is null ? null
                : $"{most.Driver}: ±20% moves the cheapest cost per accepted output at {inputs.ReferenceMonthlyAcceptedOutputs.ToString("#,0", CultureInfo.InvariantCulture)} outputs/month by {Fmt.Share(most.CostSwingShare)} (low to high)"
                  + (most.BreakEvenSwingShare is { } b ? $" and the break-even volume by {Fmt.Share(b)}" : string.Empty),
        };
    }

    private static SensitivityCase Case(CurveInputs inputs, Drivers drivers, string change)
    {
        var (perToken, capacity) = RouteModels(inputs, drivers, []);
        var answer = Answer(perToken, capacity, inputs.ReferenceMonthlyAcceptedOutputs, inputs.Demand.PeakFactor);
        return answer with { Change = change };
    }

    /// <summary>The answer the sensitivity table watches: the cheapest route at the reference volume, and the earliest
    /// break-even of any capacity route against the cheapest per-token route.</summary>
    private static SensitivityCase Answer(IReadOnlyList<PerTokenRouteModel> perToken, IReadOnlyList<CapacityRouteModel> capacity, double reference, double peak)
    {
        var costs = perToken.Select(p => (p.Route, Cost: p.CostPerAcceptedOutputUsd))
            .Concat(capacity.Select(c => (c.Route, Cost: c.CostPerAcceptedOutputUsd(reference, peak))))
            .OrderBy(c => c.Cost).ToList();
        var bestToken = perToken.OrderBy(p => p.CostPerAcceptedOutputUsd).FirstOrDefault();
        var breakEven = bestToken is null ? null
            : capacity.Select(c => c.BreakEvenMonthlyAcceptedOutputs(bestToken.CostPerAcceptedOutputUsd, peak)).Where(v => v is not null).Min();
        return new SensitivityCase("base", costs.Count > 0 ? costs[0].Route : null, costs.Count > 0 ? costs[0].Cost : null, breakEven);
    }

    private static double? Swing(decimal? low, decimal? high, decimal? baseline) =>
        low is { } l && high is { } h && baseline is { } b && b != 0 ? (double)(Math.Abs(h - l) / b) : null;

    private static double? Swing(double? low, double? high, double? baseline) =>
        low is { } l && high is { } h && baseline is { } b && b != 0 ? Math.Abs(h - l) / b : null;

    private static (List<PerTokenRouteModel>, List<CapacityRouteModel>) RouteModels(CurveInputs inputs, Drivers drivers, List<string> omitted)
    {
        var target = inputs.TargetP95Ms;
        bool Meets(GroupMetrics g) => target is null || g.LatencyP95Ms <= target.Value;

        var perToken = new List<PerTokenRouteModel>();
        foreach (var route in PerTokenRoutes)
        {
            var groups = inputs.Groups.Where(g => g.Route == route).ToList();
            var priced = groups.Where(g => g.CostPerOutputUsd is not null && g.AcceptedOutputRate > 0).ToList();
            if (priced.Count == 0)
            {
                omitted.Add(groups.Count == 0
                    ? $"{route}: not measured for this workload (a per-token route needs a measured row: acceptance and quality cannot be modeled)"
                    : $"{route}: no group has a defined cost per accepted output ({groups[0].CostReason ?? "acceptance is 0"})");
                continue;
            }
            var pool = priced.Where(Meets).ToList() is { Count: > 0 } meeting ? meeting : priced;
            var best = pool.Select(g => PerToken(g, inputs, drivers, Meets(g))).OrderBy(p => p.CostPerAcceptedOutputUsd).First();
            perToken.Add(best);
        }

        var capacity = new List<CapacityRouteModel>();
        var measuredSources = inputs.Groups.Where(g => g.Route is { } r && CapacityRoutes.Contains(r) && g.OutputTokens > 0 && g.ThroughputHeadroomTokensPerSecond > 0 && g.AcceptedOutputRate > 0).ToList();
        var estimateSource = measuredSources.Count == 0 ? FitCapacityEstimate.Source(inputs.Groups, Meets) : default;
        foreach (var route in CapacityRoutes)
        {
            var own = measuredSources.Where(g => g.Route == route).ToList();
            var candidates = (own.Count > 0 ? own : measuredSources)
                .Select(g => Capacity(route, g, inputs, drivers, own.Count > 0, Meets(g)))
                .Where(c => c is not null).Select(c => c!).ToList();
            if (candidates.Count == 0 && measuredSources.Count == 0)
            {
                // No measured capacity row at all: fall back to fit's bandwidth ceiling, marked as an estimate.
                var (estimate, why) = estimateSource.Group is { } group
                    ? FitCapacityEstimate.Build(route, group, estimateSource.Model!, inputs, drivers.GpuPrice, drivers.Utilization, drivers.Acceptance, Meets(group))
                    : (null, estimateSource.Reason);
                if (estimate is not null)
                {
                    capacity.Add(estimate);
                }
                else
                {
                    omitted.Add($"{route}: no capacity route measured for this workload (a row with throughput and gpuType or gpuHourUsd is needed); no estimate either: {why}");
                }
                continue;
            }
            if (candidates.Count == 0)
            {
                omitted.Add($"{route}: no hourly price: the measured rows give no gpuHourUsd, and the catalog has no {(route == Routes.OwnedHardware ? "owned-hardware entry" : "offer")} for their gpuType");
                continue;
            }
            var pool = candidates.Where(c => c.MeetsP95Target).ToList() is { Count: > 0 } meeting ? meeting : candidates;
            capacity.Add(pool.OrderBy(c => c.ReplicaUsdPerMonth / (decimal)c.MonthlyCapacityPerReplica(1) + c.ReviewCostPerAcceptedOutputUsd).First());
        }
        return (perToken, capacity);
    }

    private static PerTokenRouteModel PerToken(GroupMetrics g, CurveInputs inputs, Drivers drivers, bool meets)
    {
        var cost = g.CostPerOutputUsd!.Value;
        if (drivers.CacheHitRate != 1 && g.Provider is { } provider && g.Model is { } model
            && inputs.Catalog.FindTokenPrice(provider, model) is { CachedInputUsdPerMTok: { } cachedPrice } price)
        {
            // Moving the hit rate moves input tokens between the input and cached-input prices.
            var newRate = Math.Min(1, g.CacheHitRate * drivers.CacheHitRate);
            var saving = (decimal)((newRate - g.CacheHitRate) * g.InputTokens * (1 + (g.RetryRate ?? 0))) * (price.InputUsdPerMTok - cachedPrice) / 1_000_000m;
            cost = Math.Max(0, cost - saving);
        }
        return new PerTokenRouteModel
        {
            Route = g.Route!,
            Group = g.Label,
            CostPerOutputUsd = Math.Round(cost * (decimal)drivers.TokenPrice, 9),
            ReviewCostPerOutputUsd = g.ReviewCostPerOutputUsd,
            AcceptedOutputRate = Math.Min(1, (g.AcceptedOutputRate ?? 0) * drivers.Acceptance), // unknown acceptance: no cost per accepted output
            CostSource = g.CostSource,
            MeetsP95Target = meets,
            PriceSources = g.PriceSources,
        };
    }

    private static CapacityRouteModel? Capacity(string route, GroupMetrics g, CurveInputs inputs, Drivers drivers, bool measuredOnRoute, bool meets)
    {
        var hardware = inputs.Hardware.GetValueOrDefault(new GroupKey(g.Route, g.Provider, g.Model, g.Workload, g.Concurrency));
        if (Hourly(route, g, hardware, inputs.Catalog, measuredOnRoute && g.Route == route) is not { } hourly)
        {
            return null;
        }
        var operations = inputs.Catalog.Operations;
        var hasOperations = route != Routes.DedicatedEndpoint && operations is not null;
        var acceptance = Math.Min(1, (g.AcceptedOutputRate ?? 0) * drivers.Acceptance); // unknown acceptance: no cost per accepted output
        // The replica that produced the measured throughput: its GPUs from the rows, the profile or fit (one model for
        // every command), and the sessions fit says it holds.
        var replica = ReplicaShapeFor(g, hardware, inputs.Plan);
        var concurrency = (int)Math.Clamp(g.Concurrency ?? 1, 1, int.MaxValue);
        var held = replica.CapConcurrency(concurrency);
        // When fit holds fewer sessions than were measured, one replica serves only that share of the measured streams.
        var sessionShare = (double)held / concurrency;
        return new CapacityRouteModel
        {
            Route = route,
            Basis = (g.Route == route ? $"measured: {g.Label}" : $"modeled: throughput measured on {g.Label}, priced as {route}")
                + (held < concurrency ? FormattableString.Invariant($"; throughput scaled to the {held} of {concurrency} measured sessions that fit one replica") : string.Empty),
            Group = g.Label,
            GpuType = hardware?.GpuType,
            GpuCount = replica.GpusPerReplica,
            UsdPerGpuHour = Math.Round(hourly.Usd * (decimal)drivers.GpuPrice, 6),
            HourlyPriceSource = hourly.Source,
            FixedUsdPerMonth = hasOperations ? operations!.SelfHostedOperationsUsdPerMonth : 0,
            FixedCostSource = hasOperations
                ? $"operations: {operations!.SelfHostedEngineerHoursPerMonth.ToString(CultureInfo.InvariantCulture)} engineer h/month × ${operations.EngineerUsdPerHour.ToString(CultureInfo.InvariantCulture)}/h ({operations.Provenance.Citation})"
                : null,
            AcceptedOutputsPerSecondPerReplica = g.ThroughputHeadroomTokensPerSecond / g.OutputTokens * sessionShare * drivers.Utilization * (g.AcceptedOutputRate is > 0 and var measured ? acceptance / measured : 0),
            ReviewCostPerAcceptedOutputUsd = Math.Round(g.ReviewCostPerOutputUsd / (decimal)acceptance, 9),
            FloorReplicas = operations?.AutoscalingFloorReplicas ?? 1,
            MeetsP95Target = meets,
            Replica = replica,
        };
    }

    /// <summary>The capacity model's answer for one measured group: what curve, procure, report and Studio all use.</summary>
    public static ReplicaShape ReplicaShapeFor(GroupMetrics g, GroupHardware? hardware, Procurement.CapacityPlan? plan) => CapacityModel.Resolve(new ReplicaShapeRequest
    {
        Route = g.Route ?? string.Empty,
        TraceModel = g.Model,
        GpuType = hardware?.GpuType,
        RowGpuCount = hardware?.GpuCount,
        RowContextTokens = g.InputTokens + g.OutputTokens,
        RowBatch = g.Concurrency,
        Plan = plan,
    });

    private static (decimal Usd, string Source)? Hourly(string route, GroupMetrics g, GroupHardware? hardware, PriceCatalog catalog, bool ownRow)
    {
        if (ownRow && hardware?.GpuHourUsd is { } measured)
        {
            return (measured, $"gpuHourUsd of the measured rows ({g.Label})");
        }
        if (hardware?.GpuType is not { } gpuType)
        {
            return null;
        }
        if (route == Routes.OwnedHardware)
        {
            var owned = catalog.FindOwned(gpuType);
            var spec = GpuCatalog.BuiltIn.Find(gpuType).Match;
            if (owned is null || spec?.BoardPowerW is not { } watts)
            {
                return null;
            }
            return (Math.Round(OwnedHardwareCost.UsdPerGpuHour(owned, watts), 6), OwnedHardwareCost.Describe(owned, watts));
        }
        var offers = catalog.Offers(gpuType, route)
            .Where(o => route == Routes.DedicatedEndpoint || o.Kind != GpuOfferKind.ServerlessPerSecond || SameProvider(o.Provider, g.Provider))
            .ToList();
        var offer = offers.FirstOrDefault(o => SameProvider(o.Provider, g.Provider)) ?? offers.FirstOrDefault();
        return offer is null ? null : (offer.UsdPerGpuHour, FitCapacityEstimate.GpuOfferSource(offer));
    }

    private static bool SameProvider(string a, string? b) => b is not null && NameMatcher.Normalize(a) == NameMatcher.Normalize(b);
}

namespace InferCost.Core.Curves;

/// <summary>One route at one volume. <see cref="Replicas"/> and the monthly cost are null for per-token routes
/// (their monthly cost is volume × cost per output, shown for comparison).</summary>
public sealed record RoutePoint(decimal CostPerAcceptedOutputUsd, decimal MonthlyCostUsd, long? Replicas);

public sealed record CurvePoint(double MonthlyAcceptedOutputs, IReadOnlyDictionary<string, RoutePoint> Routes);

/// <summary>Where <see cref="Route"/> (a capacity route) becomes no dearer per accepted output than <see cref="Against"/>
/// (a per-token route). Null volume with a reason when it never does.</summary>
/// <summary>Where a capacity route becomes no dearer than a per-token route: the monthly volume, the replicas running
/// there and their average utilization (0..1, never above), or null with the reason it never does.</summary>
public sealed record BreakEven(string Route, string Against, double? MonthlyAcceptedOutputs, double? BreakEvenUtilization, string? Reason)
{
    /// <summary>Replicas at the break-even volume.</summary>
    public long? Replicas { get; init; }
}

/// <summary>One driver moved by one step: which route is cheapest at the reference volume, at what cost, and where the
/// headline break-even lands.</summary>
public sealed record SensitivityCase(string Change, string? CheapestRoute, decimal? CostPerAcceptedOutputUsd, double? BreakEvenMonthlyAcceptedOutputs);

/// <summary>A driver's ±20% cases and how far they move the answer (share of the base value, high − low).</summary>
public sealed record SensitivityRow(string Driver, string Applies, SensitivityCase Low, SensitivityCase High, double? CostSwingShare, double? BreakEvenSwingShare);

public sealed record CurveAssumptions
{
    public required double MinMonthlyAcceptedOutputs { get; init; }
    public required double MaxMonthlyAcceptedOutputs { get; init; }
    public required double ReferenceMonthlyAcceptedOutputs { get; init; }
    public required string Demand { get; init; }
    public required double PeakFactor { get; init; }
    public required double? TargetP95Ms { get; init; }
    public required decimal ReviewerUsdPerHour { get; init; }
    public required IReadOnlyList<string> PriceCatalogs { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>Cost per accepted output against monthly accepted outputs for every route of one workload, with break-evens
/// and a ±20% sensitivity table. <see cref="PerTokenRoutes"/> and <see cref="CapacityRoutes"/> carry every figure
/// behind the curve and where it came from.</summary>
public sealed record CostCurve
{
    public string Schema { get; init; } = "infercost.curve/v1";
    public required string Workload { get; init; }
    public required CurveAssumptions Assumptions { get; init; }
    public required IReadOnlyList<PerTokenRouteModel> PerTokenRoutes { get; init; }
    public required IReadOnlyList<CapacityRouteModel> CapacityRoutes { get; init; }
    /// <summary>Routes that could not be drawn, each with the reason.</summary>
    public required IReadOnlyList<string> Omitted { get; init; }
    public required IReadOnlyList<CurvePoint> Points { get; init; }
    public required IReadOnlyList<BreakEven> BreakEvens { get; init; }
    public required IReadOnlyList<SensitivityRow> Sensitivity { get; init; }
    /// <summary>The driver whose ±20% moves the answer most, and why; null when nothing could be priced.</summary>
    public required string? MostSensitiveDriver { get; init; }
}

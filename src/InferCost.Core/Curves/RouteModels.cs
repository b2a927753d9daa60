using InferCost.Core.Sizing;
namespace InferCost.Core.Curves;

/// <summary>A route priced by the token: its cost per accepted output does not change with volume. Immutable.</summary>
public sealed record PerTokenRouteModel
{
    public required string Route { get; init; }
    /// <summary>The measured group this route stands for (route · provider · model · concurrency).</summary>
    public required string Group { get; init; }
    /// <summary>Model cost per output (observed, modeled or mixed, as <see cref="CostSource"/> says), USD.</summary>
    public required decimal CostPerOutputUsd { get; init; }
    public required decimal ReviewCostPerOutputUsd { get; init; }
    public required double AcceptedOutputRate { get; init; }
    public required string CostSource { get; init; }
    public required bool MeetsP95Target { get; init; }
    public required IReadOnlyList<string> PriceSources { get; init; }

    /// <summary>(cost + review) ÷ acceptance, USD per accepted output.</summary>
    public decimal CostPerAcceptedOutputUsd => Math.Round((CostPerOutputUsd + ReviewCostPerOutputUsd) / (decimal)AcceptedOutputRate, 9);
}

/// <summary>A route priced by the hour: replicas × GPUs × hourly GPU cost × 730 h + fixed operations per month.
/// Immutable; every method is pure.</summary>
public sealed record CapacityRouteModel
{
    public const decimal HoursPerMonth = 730m;
    public const double SecondsPerMonth = 730.0 * 3600.0;

    public required string Route { get; init; }
    /// <summary>"measured: …" when this route's own row gives the throughput, "modeled: …" when another capacity route's
    /// does, "estimate: …" when fit's decode ceiling does (no measured capacity row at all).</summary>
    public required string Basis { get; init; }
    public required string Group { get; init; }
    public required string? GpuType { get; init; }
    public required long GpuCount { get; init; }
    public required decimal UsdPerGpuHour { get; init; }
    /// <summary>Where the hourly price comes from: the row's gpuHourUsd, a catalog offer or the owned-hardware entry, with date and source.</summary>
    public required string HourlyPriceSource { get; init; }
    public required decimal FixedUsdPerMonth { get; init; }
    public required string? FixedCostSource { get; init; }
    /// <summary>Accepted outputs per second one replica sustains at the target p95: throughputHeadroom ÷ outputTokens.</summary>
    public required double AcceptedOutputsPerSecondPerReplica { get; init; }
    public required decimal ReviewCostPerAcceptedOutputUsd { get; init; }
    public required int FloorReplicas { get; init; }
    public required bool MeetsP95Target { get; init; }
    /// <summary>True when no measured capacity row exists and the per-replica capacity comes from fit's
    /// bandwidth-bound decode ceiling (an upper bound), not from a measurement.</summary>
    public bool Estimate { get; init; }
    /// <summary>For an estimate: fit's decode ceiling, the model catalog entry, the GPU and the price entry with their
    /// dates and sources; null for measured and modeled routes (their <see cref="Basis"/> names the row).</summary>
    public string? Source { get; init; }
    /// <summary>The replica's GPUs and sessions from the capacity model, each with its source; null for estimates
    /// (their <see cref="Source"/> names fit's inputs).</summary>
    public ReplicaShape? Replica { get; init; }

    public decimal ReplicaUsdPerMonth => GpuCount * UsdPerGpuHour * HoursPerMonth;

    /// <summary>Monthly accepted outputs one replica serves when demand has the given peak factor.</summary>
    public double MonthlyCapacityPerReplica(double peakFactor) => AcceptedOutputsPerSecondPerReplica * SecondsPerMonth / peakFactor;

    /// <summary>max(floor, ceil(peak-hour demand ÷ per-replica capacity)).</summary>
    public long Replicas(double monthlyAcceptedOutputs, double peakFactor)
    {
        var needed = monthlyAcceptedOutputs <= 0 ? 0 : (long)Math.Ceiling(monthlyAcceptedOutputs / MonthlyCapacityPerReplica(peakFactor) - 1e-9);
        return Math.Max(FloorReplicas, needed);
    }

    public decimal MonthlyCostUsd(long replicas) => replicas * ReplicaUsdPerMonth + FixedUsdPerMonth;

    public decimal CostPerAcceptedOutputUsd(double monthlyAcceptedOutputs, double peakFactor) =>
        Math.Round(MonthlyCostUsd(Replicas(monthlyAcceptedOutputs, peakFactor)) / (decimal)monthlyAcceptedOutputs + ReviewCostPerAcceptedOutputUsd, 9);

    /// <summary>The smallest monthly volume at which this route costs no more per accepted output than
    /// <paramref name="perTokenUsd"/>, stepping through replica counts; null when it never does.</summary>
    public double? BreakEvenMonthlyAcceptedOutputs(decimal perTokenUsd, double peakFactor)
    {
        var margin = (double)(perTokenUsd - ReviewCostPerAcceptedOutputUsd);
        var perReplica = (double)ReplicaUsdPerMonth;
        var fixedCost = (double)FixedUsdPerMonth;
        var capacity = MonthlyCapacityPerReplica(peakFactor);
        // Even fully used, each replica's outputs must earn back more than the replica costs.
        if (margin <= 0 || perReplica >= capacity * margin)
        {
            return null;
        }
        // With k replicas the route serves ((k−1)·cap, k·cap] and breaks even there from (k·perReplica + fixed) / margin;
        // the first k for which that point lies inside its range is where the curves cross.
        var first = Math.Max(FloorReplicas, 1);
        var k = Math.Max(first, (long)Math.Ceiling(fixedCost / (capacity * margin - perReplica) - 1e-12));
        var lower = k == first ? 0 : (k - 1) * capacity;
        return Math.Max(lower, (k * perReplica + fixedCost) / margin);
    }

    /// <summary>The replicas running at the break-even volume against <paramref name="perTokenUsd"/> and their average
    /// utilization there (accepted outputs ÷ what those replicas serve fully used: never above 1); null when it never
    /// breaks even.</summary>
    public (long Replicas, double Utilization)? BreakEvenPoint(decimal perTokenUsd, double peakFactor)
    {
        if (BreakEvenMonthlyAcceptedOutputs(perTokenUsd, peakFactor) is not { } volume)
        {
            return null;
        }
        var replicas = Math.Max(1, Replicas(volume, peakFactor));
        return (replicas, Math.Min(1, volume / (replicas * AcceptedOutputsPerSecondPerReplica * SecondsPerMonth)));
    }

    /// <summary>The average utilization at which <paramref name="replicas"/> replicas cost the same per accepted output as
    /// <paramref name="perTokenUsd"/>: (replicas × replica cost + fixed) ÷ (replicas × full-use outputs × margin). Above 1
    /// means these replicas cannot break even however busy (the caller says how many replicas would); null when review
    /// cost alone reaches the per-token cost.</summary>
    public double? BreakEvenUtilizationAt(decimal perTokenUsd, long replicas)
    {
        var margin = (double)(perTokenUsd - ReviewCostPerAcceptedOutputUsd);
        var n = Math.Max(1, replicas);
        return margin <= 0 ? null : (double)MonthlyCostUsd(n) / (n * AcceptedOutputsPerSecondPerReplica * SecondsPerMonth * margin);
    }
}

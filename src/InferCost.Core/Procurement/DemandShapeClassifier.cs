using static System.FormattableString;

namespace InferCost.Core.Procurement;

public enum DemandClass
{
    Steady,
    Interactive,
    Bursty,
    Offline,
}

/// <summary>The shape of a workload's day, and its class with the rule that decided it.</summary>
public sealed record DemandClassification(
    double RequestsPerDay,
    double MeanRequestsPerHour,
    double PeakRequestsPerHour,
    int PeakHour,
    double PeakToMeanRatio,
    double CoefficientOfVariation,
    int IdleHours,
    double? BatchableShare,
    string BatchableShareSource,
    DemandClass Class,
    string Rule);

/// <summary>Classifies a day of demand. The thresholds are stated in <see cref="Rules"/> and printed with the result.
/// Pure.</summary>
public static class DemandShapeClassifier
{
    /// <summary>A batchable share at or above this makes the workload offline: most of it can wait for a batch lane.</summary>
    public const double OfflineBatchableShare = 0.5;
    /// <summary>Peak-to-mean at or above this is bursty.</summary>
    public const double BurstyPeakToMean = 3.0;
    /// <summary>Coefficient of variation of the hourly counts at or above this is bursty.</summary>
    public const double BurstyVariation = 1.0;
    /// <summary>This many idle hours or more is bursty.</summary>
    public const int BurstyIdleHours = 6;
    /// <summary>An hour is idle when it carries at most this share of the peak hour.</summary>
    public const double IdleShareOfPeak = 0.05;
    /// <summary>Peak-to-mean at or below this, with no idle hour, is steady.</summary>
    public const double SteadyPeakToMean = 1.5;

    public static string Rules { get; } = Invariant(
        $"offline when the batchable share ≥ {OfflineBatchableShare:0.##}; else bursty when peak-to-mean ≥ {BurstyPeakToMean:0.#}, hourly variation (CV) ≥ {BurstyVariation:0.#} or {BurstyIdleHours}+ idle hours (≤ {IdleShareOfPeak:0%} of the peak hour); else steady when peak-to-mean ≤ {SteadyPeakToMean:0.#} with no idle hour; else interactive (live traffic with a daily peak)");

    public static DemandClassification Classify(HourlyDemand demand, double? batchableShare, string batchableShareSource)
    {
        var counts = demand.RequestsPerHour;
        var mean = demand.MeanRequestsPerHour;
        var peak = demand.PeakRequestsPerHour;
        var peakHour = counts.ToList().IndexOf(peak);
        var variance = counts.Sum(c => (c - mean) * (c - mean)) / counts.Count;
        var cv = mean > 0 ? Math.Sqrt(variance) / mean : 0;
        var peakToMean = mean > 0 ? peak / mean : 0;
        var idle = counts.Count(c => c <= IdleShareOfPeak * peak);

        DemandClass cls;
        string rule;
        if (mean <= 0)
        {
            cls = DemandClass.Bursty;
            rule = "no requests in any hour: nothing to keep capacity busy";
        }
        else if (batchableShare is { } b && b >= OfflineBatchableShare)
        {
            cls = DemandClass.Offline;
            rule = Invariant($"batchable share {b:0.##} ≥ {OfflineBatchableShare:0.##}");
        }
        else if (peakToMean >= BurstyPeakToMean || cv >= BurstyVariation || idle >= BurstyIdleHours)
        {
            cls = DemandClass.Bursty;
            var why = new List<string>();
            if (peakToMean >= BurstyPeakToMean) why.Add(Invariant($"peak-to-mean {peakToMean:0.##} ≥ {BurstyPeakToMean:0.#}"));
            if (cv >= BurstyVariation) why.Add(Invariant($"hourly CV {cv:0.##} ≥ {BurstyVariation:0.#}"));
            if (idle >= BurstyIdleHours) why.Add(Invariant($"{idle} idle hours ≥ {BurstyIdleHours}"));
            rule = string.Join(", ", why);
        }
        else if (peakToMean <= SteadyPeakToMean && idle == 0)
        {
            cls = DemandClass.Steady;
            rule = Invariant($"peak-to-mean {peakToMean:0.##} ≤ {SteadyPeakToMean:0.#} and no idle hour");
        }
        else
        {
            cls = DemandClass.Interactive;
            rule = Invariant($"peak-to-mean {peakToMean:0.##} between {SteadyPeakToMean:0.#} and {BurstyPeakToMean:0.#}") + (idle > 0 ? $", {idle} idle hour(s)" : "");
        }
        return new DemandClassification(demand.RequestsPerDay, mean, peak, peakHour, peakToMean, cv, idle, batchableShare, batchableShareSource, cls,
            rule);
    }
}

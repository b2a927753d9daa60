using InferCost.Core.Contract;
using InferCost.Core.Metrics;
using InferCost.Core.Simulation;
using static System.FormattableString;

namespace InferCost.Core.Procurement;

/// <summary>Estimates <see cref="CapacityEconomics"/> from the traces and a replica-hour price when the price catalog
/// has no answer. Break-even utilization u* = replica-hour price ÷ (accepted outputs one replica serves per hour at
/// full occupancy × the per-token route's model cost per accepted output), with the full-occupancy throughput
/// = streams per replica × 3,600 s ÷ mean service time at that concurrency × acceptance. Pure.</summary>
public static class CapacityEconomicsEstimator
{
    public const decimal HoursPerMonth = 730m;

    /// <summary>The per-token routes: the buyer pays per token, not per replica.</summary>
    private static double AcceptedPerReplicaHour(CapacityService capacity) =>
        capacity.MaxConcurrencyPerReplica * 3600.0 / (capacity.Service.MeanServiceMsAt(capacity.MaxConcurrencyPerReplica) / 1000.0) * capacity.AcceptedOutputRate;

    public static bool IsPerToken(string? route) => route is Routes.ManagedFrontierApi or Routes.HostedOpenWeightServerless;

    public static CapacityEconomics Estimate(string workload, IReadOnlyList<GroupMetrics> workloadGroups, double? targetP95Ms,
        CapacityService? capacity, ReplicaHourPrice? price, int? replicas)
    {
        var missing = new List<string>();
        var perToken = workloadGroups
            .Where(g => IsPerToken(g.Route) && g.ModelCostPerAcceptedOutputUsd is not null && (targetP95Ms is null || g.LatencyP95Ms <= targetP95Ms))
            .OrderBy(g => g.ModelCostPerAcceptedOutputUsd).FirstOrDefault();
        if (perToken is null)
        {
            missing.Add("a priced per-token route (managed API or serverless) measured on this workload within its p95 target");
        }
        if (price is null)
        {
            missing.Add("a GPU-hour price for the planned capacity (capacity.usdPerGpuHour, or the price catalog)");
        }
        if (capacity is null)
        {
            missing.Add("measured throughput of the planned capacity route on this workload");
        }

        double? breakEven = null;
        string? breakEvenSource = null;
        if (perToken is not null && price is not null && capacity is not null && capacity.AcceptedOutputRate > 0)
        {
            var streams = capacity.MaxConcurrencyPerReplica;
            var serviceSeconds = capacity.Service.MeanServiceMsAt(streams) / 1000.0;
            var acceptedPerHour = streams * 3600.0 / serviceSeconds * capacity.AcceptedOutputRate;
            breakEven = (double)price.UsdPerReplicaHour / (acceptedPerHour * (double)perToken.ModelCostPerAcceptedOutputUsd!.Value);
            breakEvenSource = Invariant($"{price.UsdPerReplicaHour:0.####} USD per replica-hour ÷ ({acceptedPerHour:#,0} accepted outputs per replica-hour at {streams} streams × {perToken.ModelCostPerAcceptedOutputUsd:0.######} USD per accepted output on {perToken.Label})");
        }
        // Without fixed costs every replica breaks even at the same utilization: above 100% no replica count does.
        string? never = breakEven > 1
            ? Invariant($"even fully used, a replica ({AcceptedPerReplicaHour(capacity!):#,0} accepted outputs per hour for {price!.UsdPerReplicaHour:0.####} USD) costs more per accepted output than {perToken!.Label}'s model cost, at any number of replicas")
            : null;
        return new CapacityEconomics
        {
            Workload = workload,
            PerTokenRoute = perToken?.Label,
            PerTokenCostPerAcceptedOutputUsd = perToken?.ModelCostPerAcceptedOutputUsd,
            PerTokenReviewIncluded = false,
            PerTokenSource = perToken is null ? null : $"traces: model cost (costUsd) ÷ acceptedOutputRate, review excluded ({perToken.Requests?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} outputs)",
            UsdPerReplicaHour = price?.UsdPerReplicaHour,
            PriceSource = price?.Source,
            CapacityReplicas = replicas,
            CapacityMonthlyCostUsd = price is not null && replicas is { } r ? r * price.UsdPerReplicaHour * HoursPerMonth : null,
            BreakEvenUtilization = never is null ? breakEven : null,
            BreakEvenSource = never is null ? breakEvenSource : null,
            NoBreakEvenReason = never,
            Missing = missing,
        };
    }
}

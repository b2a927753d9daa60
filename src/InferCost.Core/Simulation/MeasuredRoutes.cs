using System.Globalization;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Sizing;

namespace InferCost.Core.Simulation;

/// <summary>Where a measured service came from when it was built from trace rows / request events.</summary>
/// <param name="Input">Where the rows were read: "files" or "ledger PATH".</param>
public sealed record SimulationRowsSource(string Route, string Workload, string? Model, string Label, string Input, IReadOnlyList<long> Concurrencies);

/// <summary>The GPUs the selected rows ran on, as far as they say.</summary>
public sealed record RowsHardware(IReadOnlyList<string> GpuTypes, long? GpuCount, IReadOnlyList<decimal> GpuHourUsd, string? Provider);

/// <summary>A measured service built from trace rows, with the rows' hardware for pricing.</summary>
/// <param name="Model">The one model the rows measure, as they name it.</param>
/// <param name="ContextTokens">Tokens per session the rows measured: the largest input + output tokens of their groups.</param>
public sealed record RowsService(TraceRowService Service, SimulationRowsSource Source, RowsHardware Hardware, string? Model, double ContextTokens);

/// <summary>The measured service of one route/workload (and model) from the group sums of a ledger or of trace files,
/// the replica the capacity model gives it, and its replica-hour price: what <c>infercost simulate --service measured</c>
/// and Studio's Simulate page both use, so the two give the same figures for the same rows. Pure given the sums.</summary>
public static class MeasuredRoutes
{
    /// <summary>The measured service of the <paramref name="aggregates"/> of <paramref name="route"/>/<paramref name="workload"/>
    /// (and <paramref name="model"/> when given), or null with one sentence in <paramref name="problem"/>.</summary>
    /// <param name="hardware">The sums' GPUs, grouped by <see cref="GroupDimensions.Default"/>.</param>
    /// <param name="input">Where the sums were read, for the sentences and the source ("files", "ledger PATH").</param>
    public static RowsService? Build(IReadOnlyList<GroupAggregate> aggregates, IReadOnlyList<GroupHardware> hardware, string input,
        string route, string workload, string? model, double? outputTokensCv, out string? problem)
    {
        problem = null;
        var wanted = $"route '{route}', workload '{workload}'{(model is null ? "" : $", model '{model}'")}";
        var matched = aggregates.Where(a => a.Key.Route == route
                && string.Equals(a.Key.Workload, workload, StringComparison.OrdinalIgnoreCase)
                && (model is null || string.Equals(a.Key.Model, model, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (matched.Count == 0)
        {
            var combinations = aggregates.Select(a => $"{a.Key.Route} / {a.Key.Model} / {a.Key.Workload}")
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            problem = $"no rows or events in the {input} match {wanted}; "
                + $"the route / model / workload combinations there are: {string.Join("; ", combinations)}.";
            return null;
        }
        var groups = MetricsCalculator.Compute(matched, new MetricsOptions { GroupBy = GroupDimensions.Default }).Groups;
        var built = TraceRowServices.Build(groups, outputTokensCv, out var why, out var models);
        if (built is null)
        {
            problem = why == TraceRowServiceProblem.SeveralModels
                ? $"the rows of {wanted} measure {models.Count} models ({string.Join(", ", models)}); name one with --model."
                : $"the rows of {wanted} give no concurrency with an outputTokensPerSecond, so they cannot serve as measured points.";
            return null;
        }
        var keys = matched.Select(a => a.Key).ToHashSet();
        var used = hardware.Where(h => keys.Contains(h.Key)).ToList();
        var providers = matched.Select(a => a.Key.Provider).Distinct(StringComparer.Ordinal).ToList();
        var rowsHardware = new RowsHardware(
            used.Where(h => h.GpuType is not null).Select(h => h.GpuType!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            used.Max(h => h.GpuCount),
            used.Where(h => h.GpuHourUsd is not null).Select(h => h.GpuHourUsd!.Value).Distinct().Order().ToList(),
            providers.Count == 1 ? providers[0] : null);
        var source = new SimulationRowsSource(route, workload, model, built.Label, input,
            built.Service.Points.Select(p => (long)p.Concurrency).ToList());
        var measuredModels = groups.Select(g => g.Model).Where(m => m is not null).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new RowsService(built, source, rowsHardware, measuredModels.Count == 1 ? measuredModels[0] : null, groups.Max(g => g.InputTokens + g.OutputTokens));
    }

    /// <summary>The capacity model's replica for this run: GPUs from <paramref name="gpuCount"/> (a flag), the rows'
    /// gpuCount, else fit on the rows' model, the GPU (<paramref name="gpu"/> or the rows' gpuType), their tokens per
    /// session and <paramref name="batch"/>. Null when nothing describes a replica (exponential service, no GPU).</summary>
    /// <param name="plan">The buyer profile's capacity plan, whose gpuCount sizes the rows it describes.</param>
    public static ReplicaShape? Replica(string? gpu, int? gpuCount, RowsService? rows, string? route, int batch, string batchSource, Procurement.CapacityPlan? plan = null)
    {
        var gpuType = gpu ?? (rows?.Hardware.GpuTypes is { Count: 1 } types ? types[0] : null);
        if (gpuType is null && rows is null && gpuCount is null)
        {
            return null;
        }
        return CapacityModel.Resolve(new ReplicaShapeRequest
        {
            Route = rows?.Source.Route ?? route ?? string.Empty,
            TraceModel = rows?.Model,
            GpuType = gpuType,
            GpuTypeSource = gpu is not null ? "--gpu" : "the rows' gpuType",
            GivenGpuCount = gpuCount,
            RowGpuCount = rows?.Hardware.GpuCount,
            RowContextTokens = rows?.ContextTokens,
            RowBatch = batch,
            RowBatchSource = batchSource,
            Plan = plan,
        });
    }

    /// <summary>The replica-hour price: <paramref name="usdPerReplicaHour"/>; else <paramref name="gpu"/> priced by the
    /// catalog; else the rows' own gpuHourUsd, or their gpuType priced by the catalog. Null with
    /// <paramref name="missingReason"/> when nothing prices it; null with <paramref name="error"/> when the catalog
    /// has no offer for the GPU. <paramref name="catalog"/> is asked only when a catalog price is needed; when it
    /// returns null (it could not be read) the result is null with neither sentence set.</summary>
    public static ReplicaHourPrice? Price(decimal? usdPerReplicaHour, string usdSource, string? gpu, ReplicaShape? replica, RowsService? rows,
        Func<PriceCatalog?> catalog, out string? missingReason, out string? error)
    {
        missingReason = null;
        error = null;
        if (usdPerReplicaHour is { } usd)
        {
            return new ReplicaHourPrice(usd, usdSource);
        }
        var hardware = rows?.Hardware;
        string? gpuType = gpu;
        var fromRows = "";
        if (gpu is null && hardware is not null)
        {
            if (hardware.GpuHourUsd.Count > 0)
            {
                var c = CultureInfo.InvariantCulture;
                var price = ReplicaHourPricing.FromRows(hardware.GpuHourUsd[^1], hardware.GpuTypes.Count == 1 ? hardware.GpuTypes[0] : null,
                    replica?.GpusPerReplica ?? 1, rows!.Source.Label);
                var spread = hardware.GpuHourUsd.Count > 1
                    ? $"; the rows give {hardware.GpuHourUsd.Count} GPU-hour prices ({string.Join(", ", hardware.GpuHourUsd.Select(v => v.ToString(c)))}), the highest is used"
                    : "";
                return price with { Source = price.Source + spread + "; taken from the rows because neither --gpu nor --usd-per-replica-hour was given" };
            }
            if (hardware.GpuTypes.Count > 1)
            {
                missingReason = $"the rows name {hardware.GpuTypes.Count} GPU types ({string.Join(", ", hardware.GpuTypes)}); give --gpu TYPE or --usd-per-replica-hour";
                return null;
            }
            if (hardware.GpuTypes.Count == 1)
            {
                gpuType = hardware.GpuTypes[0];
                fromRows = "; gpuType from the rows because --gpu was not given";
            }
        }
        if (gpuType is null)
        {
            missingReason = rows is null
                ? "no price given: pass --gpu TYPE (priced from the price catalog) or --usd-per-replica-hour"
                : "no price: the rows carry no gpuType or gpuHourUsd; pass --gpu TYPE (priced from the price catalog) or --usd-per-replica-hour";
            return null;
        }
        if (catalog() is not { } loaded)
        {
            return null;
        }
        var count = replica?.GpusPerReplica ?? 1;
        var countNote = replica is null ? "" : $"; GPUs per replica: {replica.GpuCountSource}";
        var priced = ReplicaHourPricing.FromCatalog(loaded, gpuType, count, rows?.Source.Route, hardware?.Provider, out error);
        return priced is null ? null : priced with { Source = priced.Source + fromRows + countNote };
    }
}

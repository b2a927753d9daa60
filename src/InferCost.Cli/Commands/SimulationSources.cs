using System.Globalization;
using InferCost.Core.Sizing;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Simulation;

namespace InferCost.Cli.Commands;

/// <summary>Where a measured service came from when it was built from trace rows / request events.</summary>
internal sealed record SimulationRowsSource(string Route, string Workload, string? Model, string Label, string Input, IReadOnlyList<long> Concurrencies);

/// <summary>The GPUs the selected rows ran on, as far as they say.</summary>
internal sealed record RowsHardware(IReadOnlyList<string> GpuTypes, long? GpuCount, IReadOnlyList<decimal> GpuHourUsd, string? Provider);

/// <summary>A measured service built from trace rows, with the rows' hardware for pricing.</summary>
/// <param name="Model">The one model the rows measure, as they name it.</param>
/// <param name="ContextTokens">Tokens per session the rows measured: the largest input + output tokens of their groups.</param>
internal sealed record RowsService(TraceRowService Service, SimulationRowsSource Source, RowsHardware Hardware, string? Model, double ContextTokens);

/// <summary>The inputs of <c>simulate</c> that come from the ledger or trace files and the price catalog: the
/// measured service of one route/model/workload, and the replica-hour price.</summary>
internal static class SimulationSources
{
    /// <summary>The measured service of the rows and events of <paramref name="route"/>/<paramref name="workload"/>
    /// (and <paramref name="model"/> when given), or null after printing why (exit code in <paramref name="exitCode"/>).</summary>
    public static RowsService? LoadRows(IReadOnlyList<string> files, string? ledger, string route, string workload, string? model,
        double? outputTokensCv, CommandContext context, out int exitCode)
    {
        var loaded = TraceInputs.Load(files, ledger, GroupDimensions.Default, context, out exitCode);
        if (loaded is null)
        {
            return null;
        }
        var wanted = $"route '{route}', workload '{workload}'{(model is null ? "" : $", model '{model}'")}";
        var matched = loaded.Aggregates.Where(a => a.Key.Route == route
                && string.Equals(a.Key.Workload, workload, StringComparison.OrdinalIgnoreCase)
                && (model is null || string.Equals(a.Key.Model, model, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (matched.Count == 0)
        {
            var combinations = loaded.Aggregates.Select(a => $"{a.Key.Route} / {a.Key.Model} / {a.Key.Workload}")
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            context.Err.WriteLine($"infercost simulate: no rows or events in the {loaded.Source} match {wanted}; "
                + $"the route / model / workload combinations there are: {string.Join("; ", combinations)}.");
            exitCode = ExitCodes.Invalid;
            return null;
        }
        var groups = MetricsCalculator.Compute(matched, new MetricsOptions { GroupBy = GroupDimensions.Default }).Groups;
        var built = TraceRowServices.Build(groups, outputTokensCv, out var problem, out var models);
        if (built is null)
        {
            context.Err.WriteLine(problem == TraceRowServiceProblem.SeveralModels
                ? $"infercost simulate: the rows of {wanted} measure {models.Count} models ({string.Join(", ", models)}); name one with --model."
                : $"infercost simulate: the rows of {wanted} give no concurrency with an outputTokensPerSecond, so they cannot serve as measured points.");
            exitCode = ExitCodes.Invalid;
            return null;
        }
        var keys = matched.Select(a => a.Key).ToHashSet();
        var hardware = loaded.Hardware.Where(h => keys.Contains(h.Key)).ToList();
        var providers = matched.Select(a => a.Key.Provider).Distinct(StringComparer.Ordinal).ToList();
        var rowsHardware = new RowsHardware(
            hardware.Where(h => h.GpuType is not null).Select(h => h.GpuType!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            hardware.Max(h => h.GpuCount),
            hardware.Where(h => h.GpuHourUsd is not null).Select(h => h.GpuHourUsd!.Value).Distinct().Order().ToList(),
            providers.Count == 1 ? providers[0] : null);
        var source = new SimulationRowsSource(route, workload, model, built.Label, loaded.Source,
            built.Service.Points.Select(p => (long)p.Concurrency).ToList());
        var measuredModels = groups.Select(g => g.Model).Where(m => m is not null).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new RowsService(built, source, rowsHardware, measuredModels.Count == 1 ? measuredModels[0] : null, groups.Max(g => g.InputTokens + g.OutputTokens));
    }

    /// <summary>The replica-hour price: <c>--usd-per-replica-hour</c>; else <c>--gpu</c> priced by the catalog; else
    /// the rows' own gpuHourUsd, or their gpuType priced by the catalog. Null with <paramref name="missingReason"/> when
    /// nothing prices it; null with <paramref name="exitCode"/> ≠ 0 after printing why when the input is bad.</summary>
    /// <summary>The capacity model's replica for this run: GPUs from --gpu-count, the rows' gpuCount, else fit on the
    /// rows' model, the GPU (--gpu or the rows' gpuType), their tokens per session and <paramref name="batch"/>.</summary>
    public static ReplicaShape? Replica(string? gpu, int? gpuCount, RowsService? rows, string? route, int batch, string batchSource, Core.Procurement.CapacityPlan? plan = null)
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

    public static ReplicaHourPrice? ResolvePrice(decimal? usdPerReplicaHour, string? gpu, ReplicaShape? replica, string? catalogPath,
        RowsService? rows, CommandContext context, out string? missingReason, out int exitCode)
    {
        missingReason = null;
        exitCode = ExitCodes.Success;
        if (usdPerReplicaHour is { } usd)
        {
            return new ReplicaHourPrice(usd, "--usd-per-replica-hour");
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
        var catalog = PriceCatalogOptions.Load(catalogPath, context, out exitCode);
        if (catalog is null)
        {
            return null;
        }
        var count = replica?.GpusPerReplica ?? 1;
        var countNote = replica is null ? "" : $"; GPUs per replica: {replica.GpuCountSource}";
        var priced = ReplicaHourPricing.FromCatalog(catalog, gpuType, count, rows?.Source.Route, hardware?.Provider, out var error);
        if (priced is null)
        {
            context.Err.WriteLine($"infercost simulate: {error}");
            exitCode = ExitCodes.Invalid;
            return null;
        }
        return priced with { Source = priced.Source + fromRows + countNote };
    }
}

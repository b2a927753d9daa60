using System.Globalization;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Simulation;

namespace InferCost.Cli.Commands;

/// <summary>Where a measured service came from when it was built from trace rows / request events.</summary>
internal sealed record SimulationRowsSource(string Route, string Workload, string? Model, string Label, string Input, IReadOnlyList<long> Concurrencies);

/// <summary>The GPUs the selected rows ran on, as far as they say.</summary>
internal sealed record RowsHardware(IReadOnlyList<string> GpuTypes, long? GpuCount, IReadOnlyList<decimal> GpuHourUsd, string? Provider);

/// <summary>A measured service built from trace rows, with the rows' hardware for pricing.</summary>
internal sealed record RowsService(TraceRowService Service, SimulationRowsSource Source, RowsHardware Hardware);

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
        return new RowsService(built, source, rowsHardware);
    }

    /// <summary>The replica-hour price: <c>--usd-per-replica-hour</c>; else <c>--gpu</c> priced by the catalog; else
    /// the rows' own gpuHourUsd, or their gpuType priced by the catalog. Null with <paramref name="missingReason"/> when
    /// nothing prices it; null with <paramref name="exitCode"/> ≠ 0 after printing why when the input is bad.</summary>
    public static ReplicaHourPrice? ResolvePrice(decimal? usdPerReplicaHour, string? gpu, int? gpuCount, string? catalogPath,
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
                    hardware.GpuCount is { } n ? (int)n : null, rows!.Source.Label);
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
                fromRows = "; gpuType" + (gpuCount is null && hardware.GpuCount is not null ? " and gpuCount" : "") + " from the rows because --gpu was not given";
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
        var count = gpuCount ?? (hardware?.GpuCount is { } rowsCount ? (int)rowsCount : 1);
        var countNote = gpuCount is null && hardware?.GpuCount is not null && gpu is not null ? "; gpuCount from the rows because --gpu-count was not given" : "";
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

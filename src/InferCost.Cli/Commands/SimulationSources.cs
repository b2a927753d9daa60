using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Simulation;
using InferCost.Core.Sizing;

namespace InferCost.Cli.Commands;

/// <summary>The inputs of <c>simulate</c> that come from the ledger or trace files and the price catalog. Reading is
/// here; building the measured service, the replica and the price is <see cref="MeasuredRoutes"/> in Core, which
/// Studio's Simulate page calls too.</summary>
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
        var rows = MeasuredRoutes.Build(loaded.Aggregates, loaded.Hardware, loaded.Source, route, workload, model, outputTokensCv, out var problem);
        if (rows is null)
        {
            context.Err.WriteLine($"infercost simulate: {problem}");
            exitCode = ExitCodes.Invalid;
        }
        return rows;
    }

    /// <summary>The capacity model's replica for this run (<see cref="MeasuredRoutes.Replica"/>).</summary>
    public static ReplicaShape? Replica(string? gpu, int? gpuCount, RowsService? rows, string? route, int batch, string batchSource, Core.Procurement.CapacityPlan? plan = null) =>
        MeasuredRoutes.Replica(gpu, gpuCount, rows, route, batch, batchSource, plan);

    /// <summary>The replica-hour price (<see cref="MeasuredRoutes.Price"/>) with the catalog of <c>--catalog</c>. Null
    /// with <paramref name="missingReason"/> when nothing prices it; null with <paramref name="exitCode"/> ≠ 0 after
    /// printing why when the input is bad.</summary>
    public static ReplicaHourPrice? ResolvePrice(decimal? usdPerReplicaHour, string? gpu, ReplicaShape? replica, string? catalogPath,
        RowsService? rows, CommandContext context, out string? missingReason, out int exitCode)
    {
        var catalogExit = ExitCodes.Success;
        var price = MeasuredRoutes.Price(usdPerReplicaHour, "--usd-per-replica-hour", gpu, replica, rows,
            () => PriceCatalogOptions.Load(catalogPath, context, out catalogExit), out missingReason, out var error);
        exitCode = catalogExit;
        if (error is not null)
        {
            context.Err.WriteLine($"infercost simulate: {error}");
            exitCode = ExitCodes.Invalid;
        }
        return price;
    }
}

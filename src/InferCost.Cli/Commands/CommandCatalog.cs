using System.CommandLine;

namespace InferCost.Cli.Commands;

/// <summary>Every verb of the CLI, one line each, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(CommandContext context)
    {
        yield return DemoCommand.Create(context);
        yield return KitCommand.Create(context);
        yield return ValidateCommand.Create(context);
        yield return ImportCommand.Create(context);
        yield return RollupCommand.Create(context);
        yield return AcceptCommand.Create(context);
        yield return LedgerCommand.Create(context);
        yield return MetricsCommand.Create(context);
        yield return ReportCommand.Create(context);
        yield return CatalogCommand.Create(context);
        yield return CurveCommand.Create(context);
        yield return FitCommand.Create(context);
        yield return SimulateCommand.Create(context);
        yield return ProcureCommand.Create(context);
        yield return BenchCommand.Create(context);
        yield return EmulateCommand.Create(context);
        yield return StudioCommand.Create(context);
        yield return VersionCommand.Create(context);
    }
}

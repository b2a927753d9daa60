using System.CommandLine;

namespace InferCost.Cli.Commands;

/// <summary>Every verb of the CLI, one line each, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(CommandContext context)
    {
        yield return VersionCommand.Create(context);
    }
}

using System.CommandLine;

namespace InferCost.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create(CommandContext context) => new("bench", "placeholder");
}

using System.CommandLine;

namespace InferCost.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("about", "Print the tool and contract versions.\nExample: infercost about");
        command.SetAction(_ =>
        {
            context.Out.WriteLine("infercost (Trace Kit contract v1)");
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using InferCost.Cli.Commands;

namespace InferCost.Cli;

/// <summary>Builds the command tree and runs one invocation. Every parse and format below runs under the
/// invariant culture, whatever the user's locale, so output is identical under de-DE and en-US.</summary>
internal static class CliApp
{
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Print stack traces and extra detail on failures.",
        Recursive = true,
    };

    public static int Run(string[] args, TextWriter output, TextWriter error, CliEnvironment environment)
    {
        var previousCulture = CultureInfo.CurrentCulture;
        var previousUiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            var context = new CommandContext(output, error, environment);
            var root = BuildRoot(context);
            var parsed = root.Parse(args);
            context.Verbose = parsed.GetValue(VerboseOption);
            var usageErrors = UsageErrors.Describe(parsed);
            if (usageErrors.Count > 0 && !IsHelpRequest(args))
            {
                foreach (var sentence in usageErrors)
                {
                    error.WriteLine($"infercost: {sentence}");
                }
                error.WriteLine("Run 'infercost --help' for usage.");
                return ExitCodes.Usage;
            }
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug, not a user error: one sentence unless --verbose asks for the trace.
            error.WriteLine($"infercost: internal error: {ex.Message}");
            if (args.Contains("--verbose"))
            {
                error.WriteLine(ex.ToString());
            }
            return ExitCodes.Environment;
        }
        finally
        {
            CultureInfo.CurrentCulture = previousCulture;
            CultureInfo.CurrentUICulture = previousUiCulture;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    private static RootCommand BuildRoot(CommandContext context)
    {
        var root = new RootCommand(
            "InferCost: cost per accepted output at target p95 latency, from measured LLM inference traces.\n" +
            "Example: infercost demo")
        {
            VerboseOption,
        };
        foreach (var command in CommandCatalog.All(context))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }
}

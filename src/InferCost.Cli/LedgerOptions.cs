using System.CommandLine;
using InferCost.Ledger;

namespace InferCost.Cli;

/// <summary>The --ledger option and how a ledger path is resolved: the flag, then INFERCOST_LEDGER, then ./infercost.duckdb.</summary>
internal static class LedgerOptions
{
    public const string DefaultPath = "infercost.duckdb";
    public const string EnvironmentVariable = "INFERCOST_LEDGER";

    public static Option<string?> Create() => new("--ledger")
    {
        Description = $"Ledger file (default: ${EnvironmentVariable} or ./{DefaultPath}).",
    };

    public static string Resolve(string? flag, CommandContext context)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return flag;
        }
        var fromEnvironment = context.Environment.GetVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? DefaultPath : fromEnvironment;
    }

    /// <summary>Opens the ledger or prints the one-sentence reason and returns null (exit 3).</summary>
    public static TraceLedger? TryOpen(string path, CommandContext context, bool readOnly)
    {
        try
        {
            return TraceLedger.Open(path, context.Environment.Clock, readOnly);
        }
        catch (LedgerException ex)
        {
            context.Err.WriteLine(ex.Message);
            if (context.Verbose)
            {
                context.Err.WriteLine(ex.InnerException?.ToString());
            }
            return null;
        }
    }
}

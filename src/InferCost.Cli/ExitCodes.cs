namespace InferCost.Cli;

/// <summary>The exit codes DESIGN.md promises.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The input was read but is invalid, or a check failed.</summary>
    public const int Invalid = 1;
    /// <summary>Bad flags or arguments.</summary>
    public const int Usage = 2;
    /// <summary>An I/O or environment failure (missing file, locked ledger, not a DuckDB file).</summary>
    public const int Environment = 3;
}

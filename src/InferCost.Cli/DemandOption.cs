using System.CommandLine;
using InferCost.Core.Curves;
using InferCost.Core.Diagnostics;

namespace InferCost.Cli;

/// <summary>--demand: 24 hourly demand weights that shape the capacity routes' peak (curve and report).</summary>
internal static class DemandOption
{
    public static Option<string?> Create() =>
        new("--demand") { Description = "24 hourly demand weights: JSON [w0, …, w23] or CSV hour,weight (default: flat)." };

    /// <summary>The demand shape a --demand flag names, or flat without one; null after printing why (exit 1 or 3).</summary>
    public static DemandShape? Load(string? path, CommandContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        if (path is null)
        {
            return DemandShape.Flat;
        }
        if (FlagFile.TryReadBytes(path, context) is not { } bytes)
        {
            exitCode = ExitCodes.Environment;
            return null;
        }
        // As File.ReadAllText reads it: UTF-8, or the encoding a byte-order mark names.
        var content = new StreamReader(new MemoryStream(bytes, writable: false)).ReadToEnd();
        var diagnostics = new DiagnosticBag();
        var shape = DemandShape.Parse(content, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase), path, diagnostics);
        foreach (var error in diagnostics.Errors)
        {
            context.Err.WriteLine(error.ToSentence(path));
        }
        if (shape is null)
        {
            exitCode = ExitCodes.Invalid;
        }
        return shape;
    }
}

using InferCost.Core.Reading;

namespace InferCost.Cli;

/// <summary>Prints what reading trace files found: one sentence per problem on stderr (the JSON document is
/// <see cref="InferCost.Reports.ValidationJson"/>).</summary>
internal static class ValidationReport
{
    public static void PrintSentences(IEnumerable<TraceFileResult> results, CommandContext context)
    {
        foreach (var result in results)
        {
            foreach (var warning in result.Diagnostics.Warnings)
            {
                context.Err.WriteLine("warning: " + warning.ToSentence(result.Path));
            }
            foreach (var error in result.Diagnostics.Errors)
            {
                context.Err.WriteLine(error.ToSentence(result.Path));
            }
            var hiddenWarnings = result.Diagnostics.WarningCount - result.Diagnostics.Warnings.Count;
            if (hiddenWarnings > 0)
            {
                context.Err.WriteLine($"{result.Path}: … and {hiddenWarnings} more warnings not shown.");
            }
            var hidden = result.Diagnostics.ErrorCount - result.Diagnostics.Errors.Count;
            if (hidden > 0)
            {
                context.Err.WriteLine($"{result.Path}: … and {hidden} more errors not shown.");
            }
        }
    }
}

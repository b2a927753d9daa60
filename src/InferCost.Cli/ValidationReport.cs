using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Cli;

/// <summary>Prints what reading trace files found: one sentence per problem on stderr, or the
/// <c>infercost.validation/v1</c> JSON document on stdout.</summary>
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
            var hidden = result.Diagnostics.ErrorCount - result.Diagnostics.Errors.Count;
            if (hidden > 0)
            {
                context.Err.WriteLine($"{result.Path}: … and {hidden} more errors not shown.");
            }
        }
    }

    public static object ToJson(IReadOnlyList<TraceFileResult> results) => new
    {
        schema = "infercost.validation/v1",
        valid = results.All(r => r.IsValid),
        files = results.Select(r => new
        {
            path = r.Path,
            format = TraceFormats.Name(r.Format),
            rows = r.DataRows,
            validRows = r.ValidRows,
            errorCount = r.Diagnostics.ErrorCount,
            errors = r.Diagnostics.Errors.Select(Entry),
            warnings = r.Diagnostics.Warnings.Select(Entry),
        }),
    };

    private static object Entry(Diagnostic d) => new
    {
        line = d.Line,
        column = d.Column,
        columnNumber = d.ColumnNumber,
        value = d.Value,
        message = d.Message,
    };
}

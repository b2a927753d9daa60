using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Reports;

/// <summary>The <c>infercost.validation/v1</c> document: every file's rows, errors and warnings with line and
/// column. Printed by <c>infercost validate --format json</c> and answered by Studio's import on invalid input.</summary>
public static class ValidationJson
{
    public const string Schema = "infercost.validation/v1";

    public static object Document(IReadOnlyList<TraceFileResult> results) => new
    {
        schema = Schema,
        valid = results.All(r => r.IsValid),
        files = results.Select(r => new
        {
            path = r.Path,
            format = TraceFormats.Name(r.Format),
            rows = r.DataRows,
            validRows = r.ValidRows,
            errorCount = r.Diagnostics.ErrorCount,
            warningCount = r.Diagnostics.WarningCount,
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

using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>What reading one trace file found.</summary>
/// <param name="Path">The path as the user gave it (for messages only; Core never opens it).</param>
/// <param name="DataRows">Rows seen after the header (valid or not).</param>
/// <param name="ValidRows">Rows that passed every rule and were handed on.</param>
public sealed record TraceFileResult(string Path, TraceFormat Format, long DataRows, long ValidRows, DiagnosticBag Diagnostics)
{
    public bool IsValid => !Diagnostics.HasErrors;
}

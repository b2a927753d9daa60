namespace InferCost.Core.Diagnostics;

/// <summary>Collects a file's diagnostics. Counts every problem but keeps only the first
/// <see cref="MaxKept"/> of each severity, so a million bad rows cannot exhaust memory.</summary>
public sealed class DiagnosticBag
{
    public const int MaxKept = 1000;
    private readonly List<Diagnostic> _errors = [];
    private readonly List<Diagnostic> _warnings = [];

    public long ErrorCount { get; private set; }
    public long WarningCount { get; private set; }
    public bool HasErrors => ErrorCount > 0;
    public IReadOnlyList<Diagnostic> Errors => _errors;
    public IReadOnlyList<Diagnostic> Warnings => _warnings;

    public void Add(Diagnostic diagnostic)
    {
        if (diagnostic.Severity == Severity.Error)
        {
            ErrorCount++;
            if (_errors.Count < MaxKept)
            {
                _errors.Add(diagnostic);
            }
        }
        else
        {
            WarningCount++;
            if (_warnings.Count < MaxKept)
            {
                _warnings.Add(diagnostic);
            }
        }
    }
}

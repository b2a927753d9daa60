namespace InferCost.Cli;

/// <summary>Per-invocation state handed to every command handler.</summary>
internal sealed class CommandContext(TextWriter output, TextWriter error, CliEnvironment environment)
{
    public TextWriter Out { get; } = output;
    public TextWriter Err { get; } = error;
    public CliEnvironment Environment { get; } = environment;
    public bool Verbose { get; set; }
}

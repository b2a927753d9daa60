namespace InferCost.Cli;

/// <summary>What a command may read from its surroundings: output writers, environment variables and the clock.
/// Injected so tests run commands in-process and capture everything they print.</summary>
internal sealed record CliEnvironment(
    Func<string, string?> GetVariable,
    TimeProvider Clock,
    bool OutputRedirected,
    bool ErrorRedirected = true)
{
    /// <summary>Progress bars are drawn only when both streams are a terminal, so pipes and logs stay clean.</summary>
    public bool ShowsProgress => !OutputRedirected && !ErrorRedirected;

    public static CliEnvironment FromProcess() =>
        new(Environment.GetEnvironmentVariable, TimeProvider.System, Console.IsOutputRedirected, Console.IsErrorRedirected);

    public static CliEnvironment ForTests(IReadOnlyDictionary<string, string>? variables = null) =>
        new(name => variables is not null && variables.TryGetValue(name, out var v) ? v : null,
            TimeProvider.System,
            OutputRedirected: true);
}

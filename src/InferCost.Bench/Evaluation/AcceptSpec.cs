namespace InferCost.Bench.Evaluation;

/// <summary>Parses <c>--accept</c>: <c>exact[:TEXT] | contains[:TEXT] | regex:PATTERN | json-schema:FILE |
/// command:CMD</c>. Without TEXT, exact and contains compare with the dataset's <c>expected</c> field.</summary>
public static class AcceptSpec
{
    public const string Forms = "exact[:TEXT], contains[:TEXT], regex:PATTERN, json-schema:FILE or command:CMD";

    /// <param name="readFile">Reads the schema file (injected so tests need no disk); throws IOException when it cannot.</param>
    public static IOutputEvaluator? Parse(string spec, Func<string, string> readFile, out string? problem)
    {
        problem = null;
        var colon = spec.IndexOf(':');
        var kind = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        var argument = colon < 0 ? null : spec[(colon + 1)..];
        switch (kind)
        {
            case "exact":
                return new ExactEvaluator(argument);
            case "contains":
                return new ContainsEvaluator(argument);
            case "regex" when !string.IsNullOrEmpty(argument):
                try
                {
                    return new RegexEvaluator(argument);
                }
                catch (ArgumentException ex)
                {
                    problem = $"--accept regex:{argument} is not a valid regular expression ({ex.Message.Split('\n')[0].TrimEnd('.')})";
                    return null;
                }
            case "json-schema" when !string.IsNullOrEmpty(argument):
                string text;
                try
                {
                    text = readFile(argument);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problem = $"{argument}: cannot be read ({ex.Message.TrimEnd('.')})";
                    return null;
                }
                var schema = JsonSchemaSubset.Load(text, out var schemaProblem);
                if (schema is null)
                {
                    problem = $"{argument}: {schemaProblem}";
                    return null;
                }
                return new JsonSchemaEvaluator(argument, schema);
            case "command" when !string.IsNullOrWhiteSpace(argument):
                return new CommandEvaluator(argument);
            default:
                problem = $"--accept must be {Forms} (got '{spec}')";
                return null;
        }
    }
}

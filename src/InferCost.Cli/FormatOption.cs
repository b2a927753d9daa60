using System.CommandLine;

namespace InferCost.Cli;

internal enum OutputFormat
{
    Table,
    Json,
    Csv,
    Svg,
}

internal static class FormatOption
{
    public static Option<OutputFormat> Create(params OutputFormat[] allowed)
    {
        var names = string.Join("|", allowed.Select(a => a.ToString().ToLowerInvariant()));
        var option = new Option<OutputFormat>("--format")
        {
            Description = $"Output format: {names}.",
            DefaultValueFactory = _ => OutputFormat.Table,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                var match = allowed.Where(a => string.Equals(a.ToString(), token, StringComparison.OrdinalIgnoreCase)).ToList();
                if (match.Count == 0)
                {
                    result.AddError($"--format must be one of {names}, not \"{token}\".");
                    return OutputFormat.Table;
                }
                return match[0];
            },
        };
        return option;
    }
}

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
    /// <summary>The <c>--format</c> flag accepting only <paramref name="allowed"/>; the first is the default. A command
    /// whose default is not Table reads an absent flag as Table and maps it to its default (see <see cref="Chosen"/>).</summary>
    public static Option<OutputFormat> Create(params OutputFormat[] allowed)
    {
        var names = string.Join("|", allowed.Select(a => a.ToString().ToLowerInvariant()));
        var option = new Option<OutputFormat>("--format")
        {
            // No DefaultValueFactory: help would print the enum ("<Csv|Json|Svg|Table>", "[default: Table]"), listing
            // formats the command refuses. An absent flag reads as default(OutputFormat), which is Table.
            Description = $"Output format: {names} (default {allowed[0].ToString().ToLowerInvariant()}).",
            HelpName = names,
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

    /// <summary>The format asked for, or <paramref name="defaultFormat"/> when the flag was not given.</summary>
    public static OutputFormat Chosen(ParseResult parse, Option<OutputFormat> option, OutputFormat defaultFormat) =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : defaultFormat;
}

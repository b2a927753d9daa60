using System.CommandLine;

namespace InferCost.Cli;

internal enum OutputFormat
{
    Table,
    Json,
    Csv,
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
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<OutputFormat>();
            if (!allowed.Contains(value))
            {
                result.AddError($"--format must be one of {names}.");
            }
        });
        return option;
    }
}

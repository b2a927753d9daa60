using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using InferCost.Core.Fit;

namespace InferCost.Cli;

/// <summary>Turns what the parser found wrong with a command line into one sentence per problem, each naming the flag
/// or word and, for a misspelling, the nearest real one. Also catches what the parser cannot: commands that take FILE
/// arguments swallow a misspelled flag (<c>metrics --ledgr x.duckdb</c>) as a file name, which used to surface as
/// "--ledgr: no such file", exit 3.</summary>
internal static partial class UsageErrors
{
    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)'")]
    private static partial Regex CannotParse();

    public static IReadOnlyList<string> Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var sentences = new List<string>();
        var unknown = new List<string>();
        var afterUnknownFlag = false;
        foreach (var error in parsed.Errors)
        {
            var unrecognized = Unrecognized().Match(error.Message);
            if (unrecognized.Success)
            {
                var token = unrecognized.Groups["token"].Value;
                // The value of a misspelled flag ("--gpuz 2") is not a second problem.
                if (!(afterUnknownFlag && !LooksLikeFlag(token)))
                {
                    unknown.Add(token);
                }
                afterUnknownFlag = LooksLikeFlag(token) && !token.Contains('=');
                continue;
            }
            afterUnknownFlag = false;
            var cannotParse = CannotParse().Match(error.Message);
            sentences.Add(cannotParse.Success
                ? $"{cannotParse.Groups["option"].Value} cannot take the value '{cannotParse.Groups["value"].Value}'."
                : error.Message);
        }
        // A FILE argument that looks like a flag and is not a file is almost always a misspelled flag.
        foreach (var argument in parsed.CommandResult.Children.OfType<ArgumentResult>())
        {
            foreach (var token in argument.Tokens)
            {
                if (LooksLikeFlag(token.Value) && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    unknown.Add(token.Value);
                }
            }
        }
        if (unknown.Count > 0)
        {
            // "Required command was not provided" only restates that the word given was not a command.
            sentences.RemoveAll(s => s.StartsWith("Required command", StringComparison.Ordinal));
        }
        sentences.AddRange(unknown.Distinct(StringComparer.Ordinal).Select(token => Unknown(token, command)));
        return sentences;
    }

    private static bool LooksLikeFlag(string token) => token.Length > 1 && token[0] == '-' && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Unknown(string token, Command command)
    {
        var path = CommandPath(command);
        if (LooksLikeFlag(token))
        {
            var flags = FlagNames(command).ToList();
            var flagName = token.Split('=', 2)[0];
            var nearest = NearestFlag(flagName, flags);
            return nearest is null
                ? $"'{path}' has no option {flagName} (see '{path} --help')."
                : $"'{path}' has no option {flagName}; did you mean {nearest}?";
        }
        var subcommands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (subcommands.Count > 0)
        {
            var nearest = NameMatcher.Nearest(token, subcommands, MaxDistance(token));
            return nearest is null
                ? $"'{token}' is not a command of '{path}' (see '{path} --help')."
                : $"'{token}' is not a command of '{path}'; did you mean '{nearest}'?";
        }
        return $"'{path}' does not take the argument '{token}' (see '{path} --help').";
    }

    /// <summary>A flag the token begins (<c>--target-p95</c> → <c>--target-p95-ms</c>) wins over edit distance, so an
    /// abbreviation gets its flag even when several letters are missing.</summary>
    private static string? NearestFlag(string token, IReadOnlyList<string> flags)
    {
        var extended = flags.Where(f => f.Length > token.Length && f.StartsWith(token, StringComparison.OrdinalIgnoreCase)).ToList();
        return extended.Count == 1 ? extended[0] : NameMatcher.Nearest(token, flags, MaxDistance(token));
    }

    private static int MaxDistance(string token) => Math.Max(2, token.Length / 4);

    private static IEnumerable<string> FlagNames(Command command)
    {
        for (var current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in current.Options.Where(o => !o.Hidden && (current == command || o.Recursive)))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(current is RootCommand ? "infercost" : current.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}

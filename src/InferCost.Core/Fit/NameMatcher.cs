namespace InferCost.Core.Fit;

/// <summary>The result of looking a name up in a catalog: the entry, or the closest names to suggest.</summary>
public sealed record NameMatch<T>(T? Match, IReadOnlyList<string> CloseMatches)
    where T : class;

/// <summary>Matches user-typed names against catalog names: case, spaces and punctuation are ignored; when nothing
/// matches, the closest names by edit distance (or containing the query) are suggested.</summary>
public static class NameMatcher
{
    private const int MaxSuggestions = 5;

    public static NameMatch<T> Find<T>(string query, IEnumerable<T> entries, Func<T, IEnumerable<string>> names, Func<T, string> displayName)
        where T : class
    {
        var wanted = Normalize(query);
        var scored = new List<(T Entry, int Score)>();
        foreach (var entry in entries)
        {
            var best = int.MaxValue;
            foreach (var name in names(entry))
            {
                var candidate = Normalize(name);
                if (candidate == wanted)
                {
                    return new NameMatch<T>(entry, []);
                }
                var distance = Levenshtein(wanted, candidate);
                if (wanted.Length >= 2 && (candidate.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(candidate, StringComparison.Ordinal)))
                {
                    distance = Math.Min(distance, 1);
                }
                best = Math.Min(best, distance);
            }
            scored.Add((entry, best));
        }
        var threshold = Math.Max(2, wanted.Length / 3);
        var close = scored.Where(s => s.Score <= threshold)
            .OrderBy(s => s.Score).ThenBy(s => displayName(s.Entry), StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .Select(s => displayName(s.Entry))
            .ToArray();
        return new NameMatch<T>(null, close);
    }

    /// <summary>Lower-case letters and digits only: "H100 SXM-80GB" → "h100sxm80gb".</summary>
    public static string Normalize(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The candidate closest to <paramref name="name"/> (case-insensitive edit distance at most
    /// <paramref name="maxDistance"/>; ties go to the first), or null when none is that close. One rule for every
    /// "did you mean": contract columns, event fields, CLI commands and flags.</summary>
    public static string? Nearest(string name, IEnumerable<string> candidates, int maxDistance = 2)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var wanted = name.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Levenshtein(wanted, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= maxDistance ? best : null;
    }

    /// <summary>Longer strings are never a typo of a name: their distance is not computed (the table is length × length).</summary>
    private const int MaxCompared = 256;

    /// <summary>Edit distance (insertions, deletions, substitutions); shared with the contract's column suggestions.
    /// When either string is longer than 256 characters it returns the longer length, an upper bound, at once: a
    /// 1 MB value in a name field took seconds per candidate, and such a value is close to no name.</summary>
    internal static int Levenshtein(string a, string b)
    {
        if (a.Length > MaxCompared || b.Length > MaxCompared)
        {
            return Math.Max(a.Length, b.Length);
        }
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

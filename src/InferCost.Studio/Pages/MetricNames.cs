using System.Text;

namespace InferCost.Studio.Pages;

/// <summary>Readable names for camelCase result keys in Studio's tables ("queueWaitP95Ms" → "Queue wait p95"); the key
/// stays in the cell's title, and the unit has a column of its own, so a trailing unit word is dropped.</summary>
internal static class MetricNames
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["ttft"] = "TTFT",
        ["ms"] = "",
        ["usd"] = "USD",
    };

    public static string Readable(string key)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in key)
        {
            if (char.IsUpper(c) && word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
            word.Append(c);
        }
        words.Add(word.ToString());
        var parts = words.Select(w => w.ToLowerInvariant()).Select(w => Words.TryGetValue(w, out var r) ? r : w)
            .Where(w => w.Length > 0).ToList();
        if (parts.Count == 0)
        {
            return key;
        }
        var text = string.Join(" ", parts);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}

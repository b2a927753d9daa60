using System.Globalization;
using System.Text;
using InferCost.Core.Simulation;

namespace InferCost.Bench.Client;

/// <summary>Generated prompts of <c>isl</c> input tokens asking for <c>osl</c> output tokens; the first
/// <c>prefix</c> tokens are one of <c>prefixes</c> shared prefixes (request k uses prefix k mod prefixes), the rest is
/// unique per request, so a prefix cache sees realistic hits. Words come from a vocabulary of common English words
/// that are one token each in o200k_base (checked by a test), so the counts hold for OpenAI-style tokenizers.
/// Deterministic per seed. Thread-safe.</summary>
public sealed class SyntheticPrompts : IPromptSource
{
    internal static readonly string[] Vocabulary =
    [
        " the", " of", " and", " to", " in", " is", " that", " for", " it", " as", " with", " was", " on", " be",
        " at", " by", " this", " have", " from", " or", " one", " had", " not", " but", " what", " all", " were",
        " when", " we", " there", " can", " an", " your", " which", " their", " said", " if", " do", " will", " each",
        " about", " how", " up", " out", " them", " then", " she", " many", " some", " so", " these", " would",
        " other", " into", " has", " more", " her", " two", " like", " him", " see", " time", " could", " no",
    ];

    private readonly string[] _prefixes;
    private readonly ulong _seed;

    public SyntheticPrompts(int inputTokens, int outputTokens, int prefixTokens, int prefixCount, ulong seed)
    {
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        PrefixTokens = Math.Min(prefixTokens, inputTokens);
        _seed = seed;
        _prefixes = new string[Math.Max(1, prefixCount)];
        for (var p = 0; p < _prefixes.Length; p++)
        {
            _prefixes[p] = Words(new SeededRandom(seed, 1000 + (ulong)p), PrefixTokens);
        }
        Description = Invariant($"synthetic isl={inputTokens},osl={outputTokens},prefix={PrefixTokens},prefixes={_prefixes.Length}");
    }

    public int InputTokens { get; }
    public int OutputTokens { get; }
    public int PrefixTokens { get; }
    public string Description { get; }

    public BenchPrompt Get(long index)
    {
        var suffix = Words(new SeededRandom(_seed, 1_000_000 + (ulong)index), InputTokens - PrefixTokens);
        var text = _prefixes[index % _prefixes.Length] + suffix;
        return new BenchPrompt(index.ToString(CultureInfo.InvariantCulture), DatasetPrompts.UserMessages(text), text, null, OutputTokens);
    }

    /// <summary>Parses <c>isl=1000,osl=200,prefix=800,prefixes=4</c>; isl and osl are required.</summary>
    public static SyntheticPrompts? Parse(string spec, ulong seed, out string? problem)
    {
        problem = null;
        var values = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq].Trim();
            if (key is not ("isl" or "osl" or "prefix" or "prefixes"))
            {
                problem = $"--synthetic takes isl, osl, prefix and prefixes (got '{part}')";
                return null;
            }
            if (eq < 0 || !int.TryParse(part[(eq + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                problem = $"--synthetic: {key} must be a whole number ≥ 0 (got '{part}')";
                return null;
            }
            values[key] = v;
        }
        if (!values.TryGetValue("isl", out var isl) || isl < 1 || !values.TryGetValue("osl", out var osl) || osl < 1)
        {
            problem = "--synthetic needs isl and osl of at least 1, e.g. \"isl=1000,osl=200,prefix=800,prefixes=4\"";
            return null;
        }
        var prefix = values.GetValueOrDefault("prefix");
        if (prefix > isl)
        {
            problem = "--synthetic: prefix cannot exceed isl";
            return null;
        }
        return new SyntheticPrompts(isl, osl, prefix, values.GetValueOrDefault("prefixes", 1), seed);
    }

    private static string Words(SeededRandom random, int count)
    {
        var text = new StringBuilder(count * 5);
        for (var i = 0; i < count; i++)
        {
            text.Append(Vocabulary[(int)(random.NextDouble() * Vocabulary.Length)]);
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}

namespace InferCost.Core.Contract;

/// <summary>The five inference routes and the aliases users type for them.</summary>
public static class Routes
{
    public const string ManagedFrontierApi = "Managed frontier API";
    public const string HostedOpenWeightServerless = "Hosted open-weight serverless";
    public const string DedicatedEndpoint = "Dedicated endpoint";
    public const string SelfHostedGpuStack = "Self-hosted GPU stack";
    public const string OwnedHardware = "Owned hardware";

    /// <summary>Canonical names, in the playbook's order (cheapest to own first).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        ManagedFrontierApi, HostedOpenWeightServerless, DedicatedEndpoint, SelfHostedGpuStack, OwnedHardware,
    ];

    private static readonly Dictionary<string, string> ByAlias = BuildAliases();

    private static Dictionary<string, string> BuildAliases()
    {
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in All)
        {
            aliases[name] = name;
        }
        void Add(string canonical, params string[] names)
        {
            foreach (var n in names)
            {
                aliases[n] = canonical;
            }
        }
        Add(ManagedFrontierApi, "managed", "managed api", "managed frontier", "frontier", "frontier api", "api", "managed api only");
        Add(HostedOpenWeightServerless, "serverless", "hosted", "open-weight serverless", "hosted serverless", "hosted open-weight");
        Add(DedicatedEndpoint, "dedicated", "dedicated hosted endpoint", "dedicated hosted");
        Add(SelfHostedGpuStack, "self-hosted", "selfhosted", "self hosted", "self-hosted gpu", "cloud gpu self-hosting", "cloud gpu");
        Add(OwnedHardware, "owned", "on-prem", "on-premises", "onprem");
        return aliases;
    }

    /// <summary>Every spelling <see cref="TryNormalize"/> knows (in any case) and the canonical name it maps to.</summary>
    public static IEnumerable<(string Spelling, string Canonical)> Spellings() => ByAlias.Select(p => (p.Key, p.Value));

    /// <summary>Maps a route name or alias (any case, surrounding spaces ignored) to its canonical name.</summary>
    public static bool TryNormalize(ReadOnlySpan<char> text, out string canonical)
    {
        var lookup = ByAlias.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text.Trim(), out var found))
        {
            canonical = found;
            return true;
        }
        canonical = string.Empty;
        return false;
    }

    /// <summary>Position of a canonical route in <see cref="All"/>, for stable ordering.</summary>
    public static int Order(string canonical)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == canonical)
            {
                return i;
            }
        }
        return All.Count;
    }
}

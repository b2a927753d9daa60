using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferCost.Core.Playbook;

/// <summary>The playbook's machine-readable manifest (seeds/playbook-manifest.json), embedded in Core.
/// Reports, the kit and route cards use its wording verbatim.</summary>
public sealed record PlaybookManifest
{
    public required string Version { get; init; }
    public required string Purpose { get; init; }
    public required IReadOnlyList<RouteCard> Routes { get; init; }
    public required IReadOnlyList<CostLever> Levers { get; init; }
    public required IReadOnlyList<SourceLink> SourceTrail { get; init; }
    public required HardwareMatrix HardwareProcurementMatrix { get; init; }
    public required TraceKitSeed TraceKit { get; init; }
    public required string RecommendedMetric { get; init; }

    private static readonly Lazy<PlaybookManifest> Embedded = new(LoadEmbedded);

    /// <summary>The manifest shipped with this build.</summary>
    public static PlaybookManifest Default => Embedded.Value;

    private static PlaybookManifest LoadEmbedded()
    {
        var assembly = typeof(PlaybookManifest).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("playbook-manifest.json", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        return JsonSerializer.Deserialize<PlaybookManifest>(stream, Options)!;
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}

public sealed record RouteCard(string Route, string BestFor, IReadOnlyList<string> CostDrivers, string Watchouts, string BuyerDecision);

public sealed record CostLever(string Lever, string Question, string Evidence, string Impact);

public sealed record SourceLink(string Label, string Url, string Signal);

public sealed record HardwareMatrix(
    string Purpose,
    IReadOnlyList<DecisionGate> DecisionGates,
    IReadOnlyList<HardwareRoute> Routes,
    IReadOnlyList<ReadinessScore> ReadinessScores);

public sealed record DecisionGate(string Gate, string BuyerQuestion, string EvidenceNeeded, string FailureIfSkipped);

public sealed record HardwareRoute(string Route, string Stage, string UseWhen, string MinimumEvidence, string AvoidWhen, string Owner);

public sealed record ReadinessScore(string Dimension, int Score, string Note);

public sealed record TraceKitSeed(
    string Purpose,
    IReadOnlyList<SeedField> Fields,
    IReadOnlyList<SeedMetric> Metrics,
    IReadOnlyList<Dictionary<string, string>> TemplateRows);

public sealed record SeedField(string Field, string Description);

public sealed record SeedMetric(string Metric, string Formula, string Why);

using System.Text.Json.Nodes;
using InferCost.Core.Contract;
using InferCost.Core.Playbook;

namespace InferCost.Core.Kit;

/// <summary>The kit's manifest.json: contract version, every field with its description, the five metrics
/// with the playbook's formula and the exact formula infercost computes.</summary>
public static class KitManifest
{
    public static JsonObject Build()
    {
        var playbook = PlaybookManifest.Default;
        var exact = new Dictionary<string, string>
        {
            ["Cost per accepted output"] = "(costUsd + reviewMinutes / 60 * reviewerUsdPerHour) / acceptedOutputRate; reviewerUsdPerHour defaults to 60; undefined (null with a reason) when acceptedOutputRate = 0",
            ["p95 latency at concurrency"] = "latencyP95Ms per route x workload x concurrency; never averaged: exact from request events, else the worst row of a group",
            ["Cache-adjusted input burden"] = "inputTokens * (1 - cacheHitRate)",
            ["Batch displacement share"] = "rows with batchEligible = true / all rows, per workload; request-weighted when requests is present",
            ["Throughput headroom"] = "outputTokensPerSecond * concurrency * acceptedOutputRate",
        };
        return new JsonObject
        {
            ["schema"] = "infercost.trace-kit-manifest/v1",
            ["contractVersion"] = TraceContract.Version,
            ["purpose"] = playbook.TraceKit.Purpose,
            ["playbookVersion"] = playbook.Version,
            ["fields"] = new JsonArray(TraceContract.Fields.Select(f => (JsonNode)new JsonObject
            {
                ["field"] = f.Name,
                ["seed"] = f.IsSeed,
                ["required"] = f.IsRequired,
                ["kind"] = f.Kind.ToString().ToLowerInvariant(),
                ["unit"] = f.Unit,
                ["description"] = f.Description,
            }).ToArray()),
            ["metrics"] = new JsonArray(playbook.TraceKit.Metrics.Select(m => (JsonNode)new JsonObject
            {
                ["metric"] = m.Metric,
                ["formula"] = m.Formula,
                ["computedAs"] = exact.TryGetValue(m.Metric, out var e) ? e : m.Formula,
                ["why"] = m.Why,
            }).ToArray()),
            ["routes"] = new JsonArray(Routes.All.Select(r => (JsonNode)r).ToArray()),
            ["recommendedMetric"] = playbook.RecommendedMetric,
            ["artifacts"] = new JsonArray("runbook.md", "trace-template.csv", "trace-schema.json", "manifest.json"),
        };
    }
}

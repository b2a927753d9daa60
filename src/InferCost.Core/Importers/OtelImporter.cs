using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// OpenTelemetry GenAI spans as OTLP JSON (<c>resourceSpans[].scopeSpans[].spans[]</c>; a file of several export
/// requests, one per line, as the collector's file exporter writes, works too). A span is a request when it has a
/// <c>gen_ai.*</c> model or usage attribute: <c>gen_ai.usage.input_tokens</c> (cached included, per the semantic
/// conventions), <c>gen_ai.usage.cache_read.input_tokens</c>, <c>gen_ai.usage.cache_creation.input_tokens</c>,
/// <c>gen_ai.usage.output_tokens</c>, <c>gen_ai.response.model</c> or <c>gen_ai.request.model</c>, and
/// <c>gen_ai.provider.name</c> (or the older <c>gen_ai.system</c>). Status code 2 or an <c>error.type</c> is an error.
/// </summary>
public sealed class OtelImporter : IEventImporter
{
    public string Name => "otel";
    public string Description => "OpenTelemetry GenAI spans (OTLP JSON)";
    public string Versions => "OTLP JSON with GenAI semantic-convention spans (gen_ai.usage.input_tokens, gen_ai.request.model)";

    public bool Detect(ImportProbe probe) => probe.FirstObjectKeys.Contains("resourceSpans");

    public long Read(Stream content, ImportContext context)
    {
        long spans = 0;
        Records(content, context, (request, _) =>
        {
            if (Get(request, "resourceSpans") is not { ValueKind: JsonValueKind.Array } resources)
            {
                return;
            }
            foreach (var resource in resources.EnumerateArray())
            {
                var resourceAttributes = Attributes(Get(resource, "resource", "attributes"));
                foreach (var scope in (Get(resource, "scopeSpans") ?? Get(resource, "instrumentationLibrarySpans"))?.EnumerateArray() ?? default)
                {
                    foreach (var span in Get(scope, "spans")?.EnumerateArray() ?? default)
                    {
                        var a = Attributes(Get(span, "attributes"));
                        if (!a.ContainsKey("gen_ai.request.model") && !a.ContainsKey("gen_ai.usage.input_tokens") && !a.ContainsKey("gen_ai.response.model"))
                        {
                            continue;
                        }
                        spans++;
                        var model = context.Model(Value(a, "gen_ai.response.model") ?? Value(a, "gen_ai.request.model"));
                        var provider = context.Provider(model, Value(a, "gen_ai.provider.name") ?? Value(a, "gen_ai.system") ?? Value(resourceAttributes, "gen_ai.provider.name"));
                        var route = context.Route(model);
                        var workload = context.Workload(model);
                        if (route is null || workload is null || provider is null || model is null)
                        {
                            continue;
                        }
                        var start = Num(span, "startTimeUnixNano") ?? 0;
                        var end = Num(span, "endTimeUnixNano") ?? start;
                        var failed = Long(span, "status", "code") == 2 || Str(span, "status", "code") == "STATUS_CODE_ERROR" || a.ContainsKey("error.type");
                        var errorType = Value(a, "error.type");
                        context.Emit(new RequestEvent
                        {
                            RequestId = Value(a, "gen_ai.response.id") ?? Str(span, "spanId") ?? $"span-{spans}",
                            StartedAt = FromEpoch(start),
                            LatencyMs = Math.Max(0, (end - start) / 1e6),
                            Route = route,
                            Provider = provider,
                            Model = model,
                            Workload = workload,
                            InputTokens = Count(a, "gen_ai.usage.input_tokens"),
                            CachedInputTokens = Count(a, "gen_ai.usage.cache_read.input_tokens"),
                            CacheWriteTokens = Count(a, "gen_ai.usage.cache_creation.input_tokens"),
                            OutputTokens = Count(a, "gen_ai.usage.output_tokens"),
                            ReasoningTokens = a.ContainsKey("gen_ai.usage.reasoning.output_tokens") ? Count(a, "gen_ai.usage.reasoning.output_tokens") : null,
                            Status = !failed ? EventStatus.Ok : errorType is "timeout" ? EventStatus.Timeout : errorType is "429" or "rate_limit" ? EventStatus.RateLimited : EventStatus.Error,
                            RunId = Str(span, "traceId"),
                        }, spans);
                    }
                }
            }
        });
        if (spans == 0)
        {
            context.Error(0, null, null, "has no GenAI spans (no span with gen_ai.request.model or gen_ai.usage.input_tokens)");
        }
        return spans;
    }

    /// <summary>OTLP attributes (<c>[{"key", "value": {"stringValue" | "intValue" | "doubleValue" | "boolValue"}}]</c>) as text.</summary>
    private static Dictionary<string, string> Attributes(JsonElement? list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (list is not { ValueKind: JsonValueKind.Array } array)
        {
            return result;
        }
        foreach (var attribute in array.EnumerateArray())
        {
            if (Str(attribute, "key") is not { } key || Get(attribute, "value") is not { } value)
            {
                continue;
            }
            var text = Str(value, "stringValue") ?? Str(value, "intValue") ?? Str(value, "doubleValue") ?? Str(value, "boolValue");
            if (text is not null)
            {
                result[key] = text;
            }
        }
        return result;
    }

    private static string? Value(Dictionary<string, string> a, string key) => a.TryGetValue(key, out var v) ? v : null;

    private static long Count(Dictionary<string, string> a, string key) =>
        a.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : 0;
}

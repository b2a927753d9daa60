using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// OpenTelemetry GenAI spans as OTLP JSON (<c>resourceSpans[].scopeSpans[].spans[]</c>; a file of several export
/// requests, one per line, as the collector's file exporter writes, works too). A span is a request when it has a
/// <c>gen_ai.*</c> model, usage or latency attribute. Three producers are read:
/// <list type="bullet">
/// <item>the GenAI semantic conventions: <c>gen_ai.usage.input_tokens</c> (cached included),
/// <c>gen_ai.usage.cache_read.input_tokens</c>, <c>gen_ai.usage.cache_creation.input_tokens</c>,
/// <c>gen_ai.usage.output_tokens</c>, <c>gen_ai.response.model</c> / <c>gen_ai.request.model</c>,
/// <c>gen_ai.provider.name</c> (or the older <c>gen_ai.system</c>);</item>
/// <item>vLLM's own spans (scope <c>vllm.*</c>, span <c>llm_request</c>): <c>gen_ai.usage.prompt_tokens</c>,
/// <c>gen_ai.usage.completion_tokens</c>, <c>gen_ai.latency.e2e</c>, <c>gen_ai.latency.time_to_first_token</c> and
/// <c>gen_ai.latency.time_in_queue</c> (seconds), <c>gen_ai.request.id</c>; often no model attribute (give --model);</item>
/// <item>OpenLLMetry client spans, whose streamed requests carry no usage: the server's span of the same request (a
/// descendant in the same trace) carries it.</item>
/// </list>
/// GenAI spans of one trace where one descends from the other are one request: latency from the outermost (the
/// client, what the caller waited), tokens and TTFT from whichever span carries them, counted once.
/// Status code 2 or an <c>error.type</c> is an error.
/// </summary>
public sealed class OtelImporter : IEventImporter
{
    public string Name => "otel";
    public string Description => "OpenTelemetry GenAI spans (OTLP JSON)";
    public string Versions => "OTLP JSON: GenAI semantic-convention spans (gen_ai.usage.input_tokens, or the older prompt_tokens), vLLM's own spans (scope vllm.*, gen_ai.latency.* incl. time_in_queue) and OpenLLMetry client spans joined with their server span";

    public bool Detect(ImportProbe probe) => probe.FirstObjectKeys.Contains("resourceSpans");

    private static readonly string[] Markers =
    [
        "gen_ai.request.model", "gen_ai.response.model", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
        "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "gen_ai.latency.e2e", "llm.usage.total_tokens",
    ];

    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Scope, double StartNs, double EndNs, bool Failed,
        string? ErrorType, Dictionary<string, string> A, string? ResourceProvider, long Order);

    public long Read(Stream content, ImportContext context)
    {
        var all = new Dictionary<(string, string), Span>();
        var genai = new List<Span>();
        long order = 0;
        Records(content, context, (request, _) =>
        {
            if (Get(request, "resourceSpans") is not { ValueKind: JsonValueKind.Array } resources)
            {
                return;
            }
            foreach (var resource in resources.EnumerateArray())
            {
                var resourceProvider = Value(Attributes(Get(resource, "resource", "attributes")), "gen_ai.provider.name");
                foreach (var scope in (Get(resource, "scopeSpans") ?? Get(resource, "instrumentationLibrarySpans"))?.EnumerateArray() ?? default)
                {
                    var scopeName = Str(scope, "scope", "name") ?? Str(scope, "instrumentationLibrary", "name") ?? string.Empty;
                    foreach (var s in Get(scope, "spans")?.EnumerateArray() ?? default)
                    {
                        var a = Attributes(Get(s, "attributes"));
                        var start = Num(s, "startTimeUnixNano") ?? 0;
                        var span = new Span(Str(s, "traceId") ?? string.Empty, Str(s, "spanId") ?? $"span-{order}", NonEmpty(Str(s, "parentSpanId")), scopeName,
                            start, Num(s, "endTimeUnixNano") ?? start,
                            Long(s, "status", "code") == 2 || Str(s, "status", "code") == "STATUS_CODE_ERROR" || a.ContainsKey("error.type"),
                            Value(a, "error.type"), a, resourceProvider, order++);
                        all[(span.TraceId, span.SpanId)] = span;
                        if (Markers.Any(a.ContainsKey) || (scopeName.StartsWith("vllm", StringComparison.Ordinal) && Str(s, "name") == "llm_request"))
                        {
                            genai.Add(span);
                        }
                    }
                }
            }
        });
        if (genai.Count == 0)
        {
            if (!context.Diagnostics.HasErrors)
            {
                context.Error(0, null, null, "has no GenAI spans (no span with a gen_ai.* model, usage or latency attribute)");
            }
            return 0;
        }
        var isGenai = genai.Select(s => (s.TraceId, s.SpanId)).ToHashSet();
        // Each GenAI span belongs to its outermost GenAI ancestor in the same trace (through any spans between them).
        var requests = new Dictionary<(string, string), (Span Root, List<Span> Members)>();
        foreach (var span in genai)
        {
            var root = span;
            var current = span;
            for (var depth = 0; depth < 64 && current.ParentSpanId is { } parent && all.TryGetValue((current.TraceId, parent), out var up); depth++)
            {
                current = up;
                if (isGenai.Contains((up.TraceId, up.SpanId)))
                {
                    root = up;
                }
            }
            var key = (root.TraceId, root.SpanId);
            if (!requests.TryGetValue(key, out var request))
            {
                requests[key] = request = (root, []);
            }
            request.Members.Add(span);
        }
        long joined = 0, ttftFromServer = 0, line = 0;
        var queueMs = new List<double>();
        var producers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (root, members) in requests.Values.OrderBy(m => m.Members.Min(s => s.Order)))
        {
            line++;
            // The outermost span first, then the others by start: the first that carries a value gives it.
            var ordered = members.OrderBy(s => s == root ? 0 : 1).ThenBy(s => s.StartNs).ToList();
            if (ordered.Count > 1)
            {
                joined++;
            }
            foreach (var s in ordered)
            {
                producers.Add(s.Scope.StartsWith("vllm", StringComparison.Ordinal) || s.A.ContainsKey("gen_ai.latency.e2e") ? "vLLM native spans (gen_ai.latency.*)"
                    : s.A.Keys.Any(k => k.StartsWith("llm.", StringComparison.Ordinal) || k.StartsWith("traceloop.", StringComparison.Ordinal)) ? "OpenLLMetry spans (llm.*)"
                    : "GenAI semantic-convention spans");
            }
            string? First(params string[] keys) => ordered.Select(s => keys.Select(k => Value(s.A, k)).FirstOrDefault(v => v is not null)).FirstOrDefault(v => v is not null);
            long? Tokens(params string[] keys) => ordered.Select(s => keys.Select(k => Parse.Count(Value(s.A, k))).FirstOrDefault(v => v is not null))
                .FirstOrDefault(v => v is > 0) ?? ordered.Select(s => keys.Select(k => Parse.Count(Value(s.A, k))).FirstOrDefault(v => v is not null)).FirstOrDefault(v => v is not null);

            var model = context.Model(First("gen_ai.response.model", "gen_ai.request.model"));
            var provider = context.Provider(model, First("gen_ai.provider.name", "gen_ai.system") ?? root.ResourceProvider);
            var route = context.Route(model);
            var workload = context.Workload(model);
            if (route is null || workload is null || provider is null || model is null)
            {
                continue;
            }
            var latencyMs = Parse.Number(Value(root.A, "gen_ai.latency.e2e")) is { } e2e ? e2e * 1000 : Math.Max(0, (root.EndNs - root.StartNs) / 1e6);
            double? ttft = null;
            foreach (var s in ordered)
            {
                if (Parse.Number(Value(s.A, "gen_ai.latency.time_to_first_token")) is { } t)
                {
                    ttft = t * 1000;
                    if (s != root)
                    {
                        ttftFromServer++;
                    }
                    break;
                }
            }
            if (ordered.Select(s => Parse.Number(Value(s.A, "gen_ai.latency.time_in_queue"))).FirstOrDefault(q => q is not null) is { } queue)
            {
                queueMs.Add(queue * 1000);
            }
            var failed = ordered.Any(s => s.Failed);
            var errorType = ordered.Select(s => s.ErrorType).FirstOrDefault(t => t is not null);
            var input = Tokens("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.usage.prompt_tokens") ?? 0;
            var reasoning = Tokens("gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens");
            context.Emit(new RequestEvent
            {
                RequestId = First("gen_ai.response.id", "gen_ai.request.id") ?? root.SpanId,
                StartedAt = FromEpoch(root.StartNs),
                LatencyMs = latencyMs,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = input,
                CachedInputTokens = Tokens("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.usage.cache_read_input_tokens", "gen_ai.usage.cached_tokens") ?? 0,
                CacheWriteTokens = Tokens("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens", "llm.usage.cache_creation_input_tokens") ?? 0,
                OutputTokens = Tokens("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.usage.completion_tokens") ?? 0,
                ReasoningTokens = reasoning,
                TtftMs = failed ? null : ttft,
                Status = !failed ? EventStatus.Ok : errorType is "timeout" ? EventStatus.Timeout : errorType is "429" or "rate_limit" ? EventStatus.RateLimited : EventStatus.Error,
                RunId = root.TraceId.Length > 0 ? root.TraceId : null,
            }, line);
        }
        foreach (var producer in producers)
        {
            context.Declare("version: " + producer);
        }
        if (joined > 0)
        {
            context.Declare($"{N(joined)} requests joined from a client span and its server's span in the same trace (latency from the client span, tokens from whichever carries them, counted once)");
        }
        if (ttftFromServer > 0)
        {
            context.Declare($"ttftMs of {N(ttftFromServer)} requests from the server span's gen_ai.latency.time_to_first_token (the client span records none; the network is not in it)");
        }
        if (queueMs.Count > 0)
        {
            var sorted = queueMs.Order().ToArray();
            context.Declare($"time in queue (gen_ai.latency.time_in_queue) of {N(sorted.Length)} requests: median {Ms(LinearPercentile.Of(sorted, 0.5))} ms, p95 {Ms(LinearPercentile.Of(sorted, 0.95))} ms, max {Ms(sorted[^1])} ms; it is inside latencyMs");
        }
        return genai.Count;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture);

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

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
}

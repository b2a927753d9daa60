using System.Text.Json;
using InferCost.Core.Contract;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// OpenAI Batch output JSONL (<c>custom_id</c>, <c>response.status_code</c>, <c>response.body</c>, <c>error</c>)
/// and saved Chat Completions / Responses objects. Token semantics are OpenAI's: <c>prompt_tokens</c> /
/// <c>input_tokens</c> include <c>cached_tokens</c>. Batch outputs are batch-eligible by definition and carry no
/// per-request latency (latency 0, declared); a Responses object with <c>completed_at</c> gives its latency.
/// The route defaults to the managed frontier API and the provider to OpenAI (both declared; flags or a mapping override them).
/// </summary>
public sealed class OpenAiImporter : IEventImporter
{
    public string Name => "openai";
    public string Description => "OpenAI Batch output JSONL, Chat Completions or Responses objects";
    public string Versions => "OpenAI Batch API output (v1/chat/completions and v1/responses lines) and Chat Completions or Responses objects";

    public bool Detect(ImportProbe probe) =>
        (probe.HasKeys("custom_id", "response") && probe.HeadText.Contains("status_code", StringComparison.Ordinal)) ||
        (probe.HasKeys("object", "usage") && (probe.HeadText.Contains("\"chat.completion\"", StringComparison.Ordinal) || probe.HeadText.Contains("\"response\"", StringComparison.Ordinal)));

    public long Read(Stream content, ImportContext context)
    {
        string? fallbackModel = null;
        var batchDeclared = false;
        return Records(content, context, (r, line) =>
        {
            var isBatch = Get(r, "custom_id") is not null;
            var body = isBatch ? Get(r, "response", "body") : r;
            if (isBatch && !batchDeclared)
            {
                batchDeclared = true;
                context.Declare("batch = true (batch outputs are batch-eligible by definition)");
                context.NotLogged("latencyMs = 0 for batch outputs (the Batch API logs no per-request latency)", "latencyMs");
            }
            var failed = (isBatch && (Get(r, "error") is not null || (Long(r, "response", "status_code") ?? 200) >= 400)) ||
                         Str(r, "status") is "failed" or "incomplete";
            var model = body is { } b ? Str(b, "model") : null;
            fallbackModel = model ?? fallbackModel;
            model ??= fallbackModel ?? context.Model();
            var route = context.RouteOrDefault(model, Routes.ManagedFrontierApi, "OpenAI's API");
            var provider = context.ProviderOrDefault(model, "OpenAI", "OpenAI's API");
            var workload = context.Workload(model);
            if (model is null || route is null || provider is null || workload is null)
            {
                return;
            }
            var usage = body is { } bb ? Get(bb, "usage") : null;
            var input = usage is { } u ? Long(u, "prompt_tokens") ?? Long(u, "input_tokens") ?? 0 : 0;
            var cached = usage is { } u2 ? Long(u2, "prompt_tokens_details", "cached_tokens") ?? Long(u2, "input_tokens_details", "cached_tokens") ?? 0 : 0;
            var output = usage is { } u3 ? Long(u3, "completion_tokens") ?? Long(u3, "output_tokens") ?? 0 : 0;
            var reasoning = usage is { } u4 ? Long(u4, "completion_tokens_details", "reasoning_tokens") ?? Long(u4, "output_tokens_details", "reasoning_tokens") : null;
            var created = body is { } c ? Num(c, "created") ?? Num(c, "created_at") : null;
            var completed = body is { } c2 ? Num(c2, "completed_at") : null;
            var code = Long(r, "response", "status_code");
            context.Emit(new RequestEvent
            {
                RequestId = Str(r, "custom_id") ?? (body is { } id ? Str(id, "id") : null) ?? $"openai-{line}",
                StartedAt = created is { } t ? FromEpoch(t) : DateTimeOffset.UnixEpoch,
                LatencyMs = !isBatch && created is { } s && completed is { } e && e >= s ? (e - s) * 1000 : 0,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = input,
                CachedInputTokens = cached,
                OutputTokens = output,
                ReasoningTokens = reasoning,
                Status = !failed ? EventStatus.Ok : code == 429 ? EventStatus.RateLimited : EventStatus.Error,
                Batch = isBatch,
            }, line);
        });
    }
}

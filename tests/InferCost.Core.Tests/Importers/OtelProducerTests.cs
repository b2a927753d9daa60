using InferCost.Core.Events;
using static InferCost.Core.Tests.Importers.ImportHarness;

namespace InferCost.Core.Tests.Importers;

/// <summary>vLLM's own OpenTelemetry spans and OpenLLMetry streaming (client span without usage, server child with it).</summary>
public sealed class OtelProducerTests
{
    [Fact]
    public void Vllm_native_spans_are_requests_with_latency_ttft_tokens_and_queue_time()
    {
        var imported = Fixture("otel/vllm-spans.json", Fill with { Model = "Qwen/Qwen3-8B" });
        Assert.Equal("otel", imported.Detected);
        imported.Valid();
        Assert.Equal(["cmpl-v1", "cmpl-v2", "cmpl-v3"], imported.Events.Select(e => e.RequestId)); // gen_ai.request.id
        var row = One(imported.Events);
        Assert.Equal(1500, row.LatencyP50Ms!.Value, 6);   // gen_ai.latency.e2e 1.5, 2.5, 0.5 s → sorted 500, 1500, 2500
        Assert.Equal(2400, row.LatencyP95Ms!.Value, 6);   // h = 1.9 → 1500 + 0.9·1000
        Assert.Equal(200, row.TtftMs!.Value, 6);          // time_to_first_token 0.2, 0.4, 0.1 s → median 200 ms
        Assert.Equal(2000.0 / 3, row.InputTokens!.Value, 9); // prompt_tokens (1000 + 800 + 200) / 3
        Assert.Equal(320.0 / 3, row.OutputTokens!.Value, 9); // completion_tokens (100 + 200 + 20) / 3
        Assert.Contains("model (--model)", imported.File.Filled); // vLLM's spans name no model
        // Queue times 10, 50, 0 ms → sorted 0, 10, 50: median 10, p95 h = 1.9 → 10 + 0.9·40 = 46, max 50.
        Assert.Contains("time in queue (gen_ai.latency.time_in_queue) of 3 requests: median 10 ms, p95 46 ms, max 50 ms; it is inside latencyMs", imported.File.Filled);
        Assert.Contains(imported.File.Filled, f => f.StartsWith("version: vLLM native spans", StringComparison.Ordinal));
    }

    [Fact]
    public void Openllmetry_streamed_client_spans_join_their_server_span_and_count_once()
    {
        var imported = Fixture("otel/openllmetry-stream.json", Fill with { Provider = null });
        imported.Valid();
        // Three traces, six GenAI spans (and one HTTP span between client and server in trace C): three requests.
        Assert.Equal(["chatcmpl-a", "chatcmpl-b", "chatcmpl-c"], imported.Events.Select(e => e.RequestId));
        Assert.Equal([(500L, 120L), (400L, 60L), (300L, 30L)], imported.Events.Select(e => (e.InputTokens, e.OutputTokens))); // A and C from the server span
        var row = One(imported.Events);
        Assert.Equal(1500, row.LatencyP50Ms!.Value, 6);   // client spans 2.0, 1.0, 1.5 s (not the servers' 1.9, 0.95, 1.4)
        Assert.Equal(1950, row.LatencyP95Ms!.Value, 6);   // h = 1.9 → 1500 + 0.9·500
        Assert.Equal(400, row.InputTokens!.Value, 9);     // (500 + 400 + 300) / 3
        Assert.Equal(250, row.TtftMs!.Value, 6);          // server TTFTs 300, 200, 250
        Assert.Equal("Qwen/Qwen3-8B", imported.Events[0].Model);
        Assert.Equal("openai", imported.Events[0].Provider); // the client's gen_ai.system
        Assert.Contains(imported.File.Filled, f => f.StartsWith("3 requests joined from a client span and its server's span", StringComparison.Ordinal));
        Assert.Contains(imported.File.Filled, f => f.StartsWith("ttftMs of 3 requests from the server span", StringComparison.Ordinal));
        Assert.Empty(imported.Warnings);
    }
}

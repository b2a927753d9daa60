using System.Text;
using InferCost.Bench.Client;
using InferCost.Bench.Emulator;

namespace InferCost.Bench.Tests;

/// <summary>With zero delays the emulator writes a whole stream at once; it must still be the same stream: one event
/// per token, then the finish, usage and [DONE] events.</summary>
public sealed class ZeroDelayStreamTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"the of and\"}],\"max_tokens\":64,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    [Fact]
    public async Task A_zero_delay_stream_has_one_event_per_token_and_the_client_counts_64_content_chunks()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorProfile());
        var url = new Uri(server.BaseAddress, "v1/chat/completions");

        // The raw stream, split by hand: a role event, 64 content events, the finish, the usage, [DONE].
        using var http = new HttpClient();
        using var response = await http.PostAsync(url, new ByteArrayContent(Body) { Headers = { ContentType = new("application/json") } });
        var raw = await response.Content.ReadAsStringAsync();
        var events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 64 + 1 + 1 + 1, events.Length);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal(64, events.Count(e => e.Contains("\"delta\":{\"content\":", StringComparison.Ordinal)));
        Assert.Contains("\"completion_tokens\":64", events[^2], StringComparison.Ordinal);
        Assert.Equal("data: [DONE]", events[^1]);

        // The bench client parses every one of them.
        using var client = new EndpointClient(new Uri(server.BaseAddress, "v1"), apiKey: null);
        var result = await client.SendAsync(Body, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(ErrorClass.None, result.Error);
        Assert.Equal(64, result.ContentChunks);
        Assert.Equal(64, result.CompletionTokens);
        Assert.NotNull(result.TtftMs);
        Assert.StartsWith(" the of and", result.Text, StringComparison.Ordinal);
    }
}

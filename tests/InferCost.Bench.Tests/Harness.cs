using InferCost.Bench.Client;
using InferCost.Bench.Emulator;
using InferCost.Core.Events;

namespace InferCost.Bench.Tests;

/// <summary>Runs the bench against an emulator on an ephemeral loopback port, events into a temp file.</summary>
internal static class Harness
{
    public static BenchSettings Settings(IPromptSource prompts, params BenchLevel[] levels) => new()
    {
        Model = "emulated",
        Prompts = prompts,
        Levels = levels,
        RequestsPerLevel = 10,
        Route = "Self-hosted GPU stack",
        Provider = "emulator",
        Workload = "test",
        RunId = "test",
        TimeoutMs = 20_000,
    };

    /// <summary>A successful event of 16 input and 64 output tokens; tests set what they look at.</summary>
    public static RequestEvent OkEvent(string id, DateTimeOffset startedAt, double latencyMs) => new()
    {
        RequestId = id,
        StartedAt = startedAt,
        LatencyMs = latencyMs,
        Route = "Self-hosted GPU stack",
        Provider = "emulator",
        Model = "m",
        Workload = "w",
        InputTokens = 16,
        OutputTokens = 64,
        Status = EventStatus.Ok,
    };

    public static SyntheticPrompts Synthetic(int isl = 16, int osl = 8, int prefix = 0) => new(isl, osl, prefix, 1, seed: 1);

    /// <param name="delay">Where retry waits go (a recorder in tests that assert on the wait asked for); null = real waits.</param>
    public static async Task<(IReadOnlyList<LevelOutcome> Outcomes, string EventsPath)> RunAsync(
        EmulatorProfile profile, BenchSettings settings, CancellationToken cancellationToken = default, string? apiKey = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        await using var server = await EmulatorServer.StartAsync(profile, cancellationToken: CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), "infercost-bench-tests", Guid.NewGuid().ToString("N"), "events.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var client = new EndpointClient(new Uri(server.BaseAddress, "v1"), apiKey);
        using var writer = new EventsJsonlWriter(File.Create(path));
        var runner = new BenchRunner(settings, client, writer, TimeProvider.System, delay);
        var outcomes = await runner.RunAsync(null, cancellationToken);
        return (outcomes, path);
    }

    public static List<RequestEvent> ReadEvents(string path)
    {
        using var stream = File.OpenRead(path);
        var (result, events) = EventReader.ReadAll(stream, path, Core.Reading.TraceFormat.Jsonl);
        Assert.True(result.IsValid, string.Join("; ", result.Diagnostics.Errors.Select(d => d.ToSentence(path))));
        return events;
    }

    public static double P50(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        // Independent of the code under test: the median of an odd or even sample.
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Tests that run real servers on real timers run alone (none asserts on the machine's speed, but a busy
/// 2-core machine makes them slower to finish).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "timing";
}

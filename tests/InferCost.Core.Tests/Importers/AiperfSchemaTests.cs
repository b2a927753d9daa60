using InferCost.Core.Events;
using static InferCost.Core.Tests.Importers.ImportHarness;

namespace InferCost.Core.Tests.Importers;

/// <summary>AIPerf's previous per-request schema (timestamp_ns, credit_phase, ttft), its usage_* metrics, and its
/// aggregate exports of both schemas. Expected figures are worked out by hand from the fixtures.</summary>
public sealed class AiperfSchemaTests
{
    private static readonly Core.Importers.FillIns WithModel = Fill with { Model = "openai/gpt-oss-20b" };

    [Fact]
    public void Previous_schema_is_read_with_its_timestamp_phase_and_ttft()
    {
        var imported = Fixture("aiperf/profile_export-previous.jsonl", WithModel);
        Assert.Equal("aiperf", imported.Detected);
        imported.Valid();
        Assert.Equal(4, imported.Events.Count);             // the warmup credit_phase record is left out
        var row = One(imported.Events);
        Assert.Equal((3L, 1L), (row.Requests, row.Failures));
        Assert.Equal(2500, row.LatencyP50Ms!.Value, 9);      // 2000, 2500, 3000
        Assert.Equal(2950, row.LatencyP95Ms!.Value, 9);      // h = 1.9 → 2500 + 0.9·500
        Assert.Equal(500, row.TtftMs!.Value, 9);             // metric "ttft": 400, 500, 600
        Assert.Equal(580.0 / 3, row.OutputTokens!.Value, 9); // output_sequence_length 200, 200, 180 (reasoning included)
        Assert.Equal(430.0 / 3, row.ReasoningTokens!.Value, 9); // 140, 150, 140
        Assert.Equal(EventStatus.Cancelled, imported.Events[3].Status); // 499 RequestCancellationError
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), imported.Events[0].StartedAt); // timestamp_ns: 1795341600 s after the epoch
        Assert.Contains(imported.File.Filled, f => f.StartsWith("version: AIPerf previous schema", StringComparison.Ordinal));
        Assert.Contains("1 warm-up records left out, as AIPerf's own metrics leave them out; --include-warmup keeps them", imported.File.Filled);
    }

    [Fact]
    public void A_fixed_concurrency_run_given_by_flag_stays_one_group()
    {
        var imported = Fixture("aiperf/profile_export-previous.jsonl", WithModel with { Concurrency = 16 });
        imported.Valid();
        // Without the flag the overlapping intervals would be rolled up into reconstructed groups 1, 2 and 4.
        var group = Assert.Single(EventRollup.Rollup(imported.Events));
        Assert.Equal(16, group.Concurrency);
        Assert.Equal("logged", group.ConcurrencySource);
        Assert.Contains("concurrency (--concurrency)", imported.File.Filled);
        Assert.Empty(imported.Warnings);
    }

    [Fact]
    public void Include_warmup_keeps_the_warmup_record()
    {
        var imported = Fixture("aiperf/profile_export-previous.jsonl", WithModel with { IncludeWarmup = true });
        imported.Valid();
        Assert.Equal(5, imported.Events.Count);
    }

    [Fact]
    public void Usage_metrics_give_cached_reasoning_and_server_token_counts()
    {
        var imported = Fixture("aiperf/profile_export-usage.jsonl", WithModel);
        imported.Valid();
        var e = imported.Events;
        Assert.Equal((600L, 200L), (e[0].CachedInputTokens, e[1].CachedInputTokens)); // usage_prompt_cache_read_tokens
        Assert.Equal(400, e[2].CachedInputTokens);            // 500 prompt − 100 cache misses
        Assert.Equal(50, e[2].CacheWriteTokens);              // usage_prompt_cache_write_tokens
        Assert.Equal(20, e[0].ReasoningTokens);               // usage_reasoning_tokens
        var row = One(e);
        Assert.Equal(1200.0 / 2500, row.CacheHitRate!.Value, 12); // (600 + 200 + 400) cached of (1000 + 1000 + 500)
        Assert.Equal(1000, row.LatencyP50Ms!.Value, 9);       // 500, 1000, 1200
        Assert.Contains(imported.File.Filled, f => f.StartsWith("cachedInputTokens of 1 records = usage_prompt_tokens − usage_prompt_cache_miss_tokens", StringComparison.Ordinal));
    }

    [Fact]
    public void Anthropic_shaped_usage_adds_cache_reads_and_writes_back_into_input()
    {
        var line = """{"metadata":{"x_request_id":"a","request_start_ns":1795341600000000000,"request_end_ns":1795341601000000000,"benchmark_phase":"profiling","was_cancelled":false},"metrics":{"request_latency":{"value":1000.0,"unit":"ms"},"input_sequence_length":{"value":1000,"unit":"tokens"},"output_sequence_length":{"value":10,"unit":"tokens"},"usage_prompt_tokens":{"value":100,"unit":"tokens"},"usage_completion_tokens":{"value":10,"unit":"tokens"},"usage_prompt_cache_read_tokens":{"value":800,"unit":"tokens"},"usage_prompt_cache_write_tokens":{"value":100,"unit":"tokens"}},"error":null}""";
        var imported = Text("profile_export.jsonl", line + "\n" + line.Replace("\"a\"", "\"b\"", StringComparison.Ordinal) + "\n", WithModel);
        imported.Valid();
        Assert.Equal(1000, imported.Events[0].InputTokens);   // 100 + 800 read + 100 written
        Assert.Equal(800, imported.Events[0].CachedInputTokens);
    }

    [Fact]
    public void Every_usage_metric_aiperf_emits_is_mapped_and_an_unknown_one_is_a_warning()
    {
        // The usage_* record metrics of AIPerf's metric catalog (usage_field_metrics, usage_cache_metrics, usage_extras_metrics).
        string[] emitted =
        [
            "usage_prompt_tokens", "usage_completion_tokens", "usage_total_tokens", "usage_reasoning_tokens", "usage_prompt_cache_read_tokens",
            "usage_prompt_cache_write_tokens", "usage_prompt_cache_miss_tokens", "usage_prompt_audio_tokens", "usage_completion_audio_tokens",
            "usage_prompt_audio_seconds", "usage_tool_use_prompt_tokens", "usage_accepted_prediction_tokens", "usage_rejected_prediction_tokens",
        ];
        Assert.Equal(emitted.Order(), Core.Importers.AiperfImporter.UsageMetrics.Keys.Order());
        var line = """{"metadata":{"x_request_id":"a","request_start_ns":1795341600000000000,"request_end_ns":1795341601000000000,"benchmark_phase":"profiling"},"metrics":{"request_latency":{"value":1000.0,"unit":"ms"},"input_sequence_length":{"value":100,"unit":"tokens"},"output_sequence_length":{"value":10,"unit":"tokens"},"usage_video_tokens":{"value":7,"unit":"tokens"}},"error":null}""";
        var imported = Text("profile_export.jsonl", line + "\n" + line + "\n", WithModel);
        Assert.Contains(imported.Warnings, w => w.Contains("metrics.usage_video_tokens", StringComparison.Ordinal) && w.Contains("not used", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("aiperf/profile_export_aiperf-previous.json", "previous schema")]
    [InlineData("aiperf/profile_export_aiperf.json", "current schema")]
    public void An_aggregate_export_of_either_schema_is_refused_pointing_at_the_per_request_file(string fixture, string schema)
    {
        var imported = Fixture(fixture, WithModel);
        Assert.Equal("aiperf", imported.Detected);
        Assert.Empty(imported.Events);
        var error = Assert.Single(imported.Errors);
        Assert.Contains("AIPerf's aggregate export", error);
        Assert.Contains(schema, error);
        Assert.Contains("import profile_export.jsonl", error);
    }

    [Fact]
    public void Records_of_an_unknown_schema_are_one_error_with_their_count()
    {
        var line = """{"metadata":{"x_request_id":"a","start_ns":1795341600000000000},"metrics":{"request_latency":{"value":1000.0,"unit":"ms"}},"error":null}""";
        var imported = Text("profile_export.jsonl", line + "\n" + line + "\n" + line + "\n", WithModel);
        var error = Assert.Single(imported.Errors);
        Assert.Contains("in 3 records", error);
        Assert.Contains("an AIPerf schema InferCost cannot read", error);
    }
}

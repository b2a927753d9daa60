using InferCost.Core.Contract;
using InferCost.Core.Events;
using InferCost.Core.Importers;
using InferCost.Core.Metrics;
using InferCost.Core.Reading;

namespace InferCost.Core.Tests.Importers;

/// <summary>Each format's fixture, detected by content and rolled up; every expected figure is worked out by hand
/// from the fixture (linear interpolation: h = (n − 1)·q over the sorted successful latencies).</summary>
public sealed class ImporterTests
{
    private static readonly FillIns Fill = new(Route: "self-hosted", Workload: "support", Provider: "vLLM", Model: "m", Concurrency: 2);

    private static (ImportedFile File, List<RequestEvent> Events, string? Detected) Import(string relative, FillIns? fill = null, string? format = null)
    {
        var path = Fixtures.PathOf("importers/" + relative);
        var bytes = File.ReadAllBytes(path);
        var detected = ImportFormats.Detect(ImportFormats.Probe(path, bytes));
        var events = new List<RequestEvent>();
        var file = ImportFormats.Read(format ?? detected!, new MemoryStream(bytes), relative, TraceFormats.Detect(path, bytes), fill ?? Fill, (e, _) => events.Add(e), (_, _) => { });
        return (file, events, detected);
    }

    private static RollupRow One(List<RequestEvent> events) => Assert.Single(EventRollup.Rollup(events, [GroupDimension.Workload]));

    private static void Valid(ImportedFile file) =>
        Assert.True(file.Result.IsValid, string.Join("; ", file.Result.Diagnostics.Errors.Select(d => d.ToSentence(file.Result.Path))));

    [Fact]
    public void Vllm_bench_detailed_result()
    {
        var (file, events, detected) = Import("vllm-bench/result-detailed.json");
        Assert.Equal("vllm-bench", detected);
        Valid(file);
        // Latency = TTFT + Σ ITL: 100+900 = 1000, 200+1000 = 1200, 100+300 = 400, 300+1700 = 2000 ms; the 5th failed.
        var row = One(events);
        Assert.Equal((5L, 4L, 1L), (row.Events, row.Requests, row.Failures));
        Assert.Equal(1100, row.LatencyP50Ms!.Value, 6);   // sorted 400, 1000, 1200, 2000: h = 1.5
        Assert.Equal(1880, row.LatencyP95Ms!.Value, 6);   // h = 2.85 → 1200 + 0.85·800
        Assert.Null(row.LatencyP95ErrorAdjustedMs);        // 1 of 5 failed: 20% > 5%
        Assert.Equal(0, row.CacheHitRate);                 // vLLM reports no prompt-cache hits per request
        Assert.Equal(4, row.Concurrency);                  // max_concurrency
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", events[0].Model);
        Assert.Contains(file.Filled, f => f.StartsWith("route", StringComparison.Ordinal));
        Assert.Contains(file.Filled, f => f.StartsWith("startedAt", StringComparison.Ordinal));
    }

    [Fact]
    public void Vllm_bench_summary_without_arrays_is_refused_with_the_way_to_get_events()
    {
        var (file, events, detected) = Import("vllm-bench/result-summary.json");
        Assert.Equal("vllm-bench", detected);
        Assert.Empty(events);
        var error = Assert.Single(file.Result.Diagnostics.Errors);
        Assert.Contains("--save-detailed", error.Message);
        Assert.Contains("goodput 6.9", error.Message); // the legacy "request_goodput:" key is read
    }

    [Fact]
    public void Llmperf_individual_responses()
    {
        var (file, events, detected) = Import("llmperf/meta-llama-3-8b_550_150_individual_responses.json");
        Assert.Equal("llmperf", detected);
        Valid(file);
        var row = One(events);
        Assert.Equal(2000, row.LatencyP50Ms!.Value, 9);   // 1000, 2000, 3000
        Assert.Equal(2900, row.LatencyP95Ms!.Value, 9);   // h = 1.9
        Assert.Equal(0.25, row.ErrorRate);                // the 429 is rate_limited, an error
        Assert.Equal(2, row.Concurrency);                 // --concurrency
        Assert.Contains("concurrency (--concurrency)", file.Filled);
    }

    [Fact]
    public void Llmperf_without_concurrency_says_which_flag_to_give()
    {
        var (file, _, _) = Import("llmperf/meta-llama-3-8b_550_150_individual_responses.json", Fill with { Concurrency = null });
        Assert.Contains(file.Result.Diagnostics.Errors, d => d.Column == "concurrency" && d.Message.Contains("--concurrency"));
    }

    [Theory]
    [InlineData("aiperf/profile_export.jsonl", "aiperf")]
    [InlineData("genai-perf/profile_export.jsonl", "genai-perf")]
    public void Aiperf_per_request_export_skips_warmup_and_reconstructs_concurrency(string fixture, string format)
    {
        // No --concurrency: AIPerf's records carry none, so it is reconstructed from the intervals.
        var (file, events, detected) = Import(fixture, Fill with { Concurrency = null }, format: format);
        Assert.Equal("aiperf", detected);
        Valid(file);
        Assert.Equal(3, events.Count); // the warm-up record is skipped
        var row = One(events);
        Assert.Equal(600, row.LatencyP50Ms!.Value, 9);    // 500, 700
        Assert.Equal(690, row.LatencyP95Ms!.Value, 9);    // 500 + 0.95·200
        Assert.Equal(1, row.Failures);
        // a-1 [0, 500) alone → 1; a-2 starts at 100 with a-1 in flight → 2; a-3 at 900 alone → 1.
        var byConcurrency = EventRollup.Rollup(events);
        Assert.Equal(new long?[] { 1, 2 }, byConcurrency.Select(r => r.Concurrency));
        Assert.Equal("reconstructed", byConcurrency[0].ConcurrencySource);
    }

    [Fact]
    public void Guidellm_benchmarks()
    {
        var (file, events, detected) = Import("guidellm/benchmarks.json", Fill with { Model = null });
        Assert.Equal("guidellm", detected);
        Valid(file);
        var row = One(events);
        Assert.Equal(1000, row.LatencyP50Ms!.Value, 6);   // 500, 1000, 2000
        Assert.Equal(1900, row.LatencyP95Ms!.Value, 6);   // h = 1.9
        Assert.Equal(1, row.Failures);
        Assert.Equal(2, row.Concurrency);                 // concurrent strategy, 2 streams
        Assert.Equal("Qwen/Qwen2.5-7B-Instruct", events[0].Model);
        Assert.Equal(200, events[0].TtftMs!.Value, 3);
    }

    [Fact]
    public void Litellm_spend_logs_csv()
    {
        var (file, events, detected) = Import("litellm/spend_logs.csv", Fill with { Provider = null, Model = null });
        Assert.Equal("litellm", detected);
        Valid(file);
        var row = One(events);
        Assert.Equal(1150, row.LatencyP50Ms!.Value, 6);   // 800, 1500
        Assert.Equal(1465, row.LatencyP95Ms!.Value, 6);   // 800 + 0.95·700
        Assert.Equal(0.2, row.CacheHitRate!.Value, 12);   // 400 cached of 2000 prompt tokens (OpenAI: cached inside prompt)
        Assert.Equal(Math.Round(0.00525m / 2, 9), row.CostUsd); // spend of every attempt ÷ 2 outputs
        Assert.Equal("openai", events[0].Provider);
        Assert.Equal(150, events[0].TtftMs!.Value, 6);
        Assert.DoesNotContain(file.Filled, f => f.StartsWith("provider", StringComparison.Ordinal));
    }

    [Fact]
    public void Openai_batch_output()
    {
        var (file, events, detected) = Import("openai/batch_output.jsonl", Fill with { Route = null, Provider = null });
        Assert.Equal("openai", detected);
        Valid(file);
        var row = One(events);
        Assert.Equal(0.4, row.CacheHitRate!.Value, 12);   // 600 cached of 1500 prompt tokens
        Assert.Equal((3L, 2L, 1L), (row.Events, row.Requests, row.Failures));
        Assert.True(row.BatchEligible);
        Assert.Equal(Routes.ManagedFrontierApi, row.Route);
        Assert.Equal("OpenAI", row.Provider);
        Assert.Contains(file.Filled, f => f.StartsWith("batch = true", StringComparison.Ordinal));
        Assert.Contains(file.Filled, f => f.StartsWith("route = Managed frontier API", StringComparison.Ordinal));
    }

    [Fact]
    public void Anthropic_batch_results_add_cache_reads_and_writes_back_into_input()
    {
        var (file, events, detected) = Import("anthropic/batch_results.jsonl", Fill with { Route = null, Provider = null });
        Assert.Equal("anthropic", detected);
        Valid(file);
        Assert.Equal(1000, events[0].InputTokens);        // 100 + 800 read + 100 written
        Assert.Equal(100, events[0].CacheWriteTokens);
        var row = One(events);
        Assert.Equal(800.0 / 1300, row.CacheHitRate!.Value, 12);
        Assert.Equal(1, row.Failures);
        Assert.Equal(1000.0 / 3, row.ErrorRate * 1000, 9);
    }

    [Fact]
    public void Otel_genai_spans()
    {
        var (file, events, detected) = Import("otel/traces.json", Fill with { Provider = null, Model = null });
        Assert.Equal("otel", detected);
        Valid(file);
        Assert.Equal(3, events.Count);                    // the HTTP span is not a GenAI request
        var row = One(events);
        Assert.Equal(1200, row.LatencyP50Ms!.Value, 6);   // 900, 1500
        Assert.Equal(1470, row.LatencyP95Ms!.Value, 6);   // 900 + 0.95·600
        Assert.Equal(250.0 / 1400, row.CacheHitRate!.Value, 12); // OTel counts cached inside input_tokens
        Assert.Equal("openai", events[1].Provider);       // legacy gen_ai.system
        Assert.Equal(EventStatus.Error, events[2].Status);
    }

    [Fact]
    public void Langfuse_observations_sum_exclusive_usage_buckets()
    {
        var (file, events, detected) = Import("langfuse/observations.json", Fill with { Model = null });
        Assert.Equal("langfuse", detected);
        Valid(file);
        Assert.Equal(3, events.Count);                    // the SPAN is not a generation
        Assert.Equal(1000, events[0].InputTokens);        // 200 + 800 cached: exclusive buckets summed
        Assert.Equal(800, events[0].CachedInputTokens);
        var row = One(events);
        Assert.Equal(800.0 / 1500, row.CacheHitRate!.Value, 12);
        Assert.Equal(1500, row.LatencyP50Ms!.Value, 6);   // 2000, 1000
        Assert.Equal(1950, row.LatencyP95Ms!.Value, 6);   // 1000 + 0.95·1000
        Assert.Equal(500, events[0].TtftMs!.Value, 6);
        Assert.Equal(Math.Round((0.00234m + 0.00225m) / 2, 9), row.CostUsd);
    }

    [Fact]
    public void Helicone_export_scales_cost_and_adds_anthropic_cache_tokens()
    {
        var (file, events, detected) = Import("helicone/export.csv", Fill with { Provider = null, Model = null });
        Assert.Equal("helicone", detected);
        Valid(file);
        Assert.Equal(0.0045m, events[0].CostUsd);         // 4,500,000 ÷ 10^9
        Assert.Equal(1000, events[0].InputTokens);        // Anthropic: 100 + 900 cache reads
        var row = One(events);
        Assert.Equal(900.0 / 2000, row.CacheHitRate!.Value, 12);
        Assert.Equal(1000, row.LatencyP50Ms!.Value, 9);   // 800, 1200
        Assert.Equal(1180, row.LatencyP95Ms!.Value, 9);   // 800 + 0.95·400
        Assert.Equal(0.00325m, row.CostUsd);
    }

    [Fact]
    public void Events_csv_is_detected_and_rolled_up()
    {
        var (file, events, detected) = Import("events/events.csv");
        Assert.Equal("events", detected);
        Valid(file);
        var row = Assert.Single(EventRollup.Rollup(events));
        Assert.Equal(1100, row.LatencyP50Ms!.Value, 9);   // 900, 1100, 1300
        Assert.Equal(1280, row.LatencyP95Ms!.Value, 9);   // h = 1.9 → 1100 + 0.9·200
        Assert.Equal(1000.0 / 3000, row.CacheHitRate!.Value, 12);
        Assert.Equal(2.0 / 3, row.AcceptedOutputRate!.Value, 12);
        Assert.Equal(0.25, row.TimeoutRate);
    }

    [Fact]
    public void Content_that_fits_no_format_is_not_detected()
    {
        var probe = ImportFormats.Probe("mystery.json", """{"hello": "world", "n": 1}"""u8);
        Assert.Null(ImportFormats.Detect(probe));
        var message = ImportFormats.Undetectable("mystery.json");
        foreach (var name in new[] { "contract", "events", "vllm-bench", "genai-perf", "aiperf", "guidellm", "llmperf", "litellm", "langfuse", "helicone", "otel", "openai", "anthropic" })
        {
            Assert.Contains(name, message);
        }
        Assert.Null(ImportFormats.Detect(ImportFormats.Probe("x.csv", "a,b,c\n1,2,3\n"u8)));
    }

    [Fact]
    public void A_truncated_jsonl_record_in_an_importer_reports_its_line()
    {
        var lines = File.ReadAllLines(Fixtures.PathOf("importers/anthropic/batch_results.jsonl"));
        var text = lines[0] + "\n" + lines[1][..60] + "\n" + lines[2] + "\n";
        var file = ImportFormats.Read("anthropic", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "cut.jsonl", TraceFormat.Jsonl, Fill, (_, _) => { }, (_, _) => { });
        var error = Assert.Single(file.Result.Diagnostics.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("truncated", error.Message);
    }
}

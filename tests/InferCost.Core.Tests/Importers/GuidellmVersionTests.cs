using InferCost.Core.Events;
using static InferCost.Core.Tests.Importers.ImportHarness;

namespace InferCost.Core.Tests.Importers;

/// <summary>GuideLLM 0.5's benchmarks.json (config / scheduler_metrics / info.timings) beside the 0.3–0.4 layout.
/// Fixture: measured window 1.0 … 10.0 s after T; g5-1 [0, 0.5] ends before it, g5-5 [10.5, 11] starts after it.</summary>
public sealed class GuidellmVersionTests
{
    [Fact]
    public void Guidellm_05_reads_request_timings_model_and_the_measured_window()
    {
        var imported = Fixture("guidellm/benchmarks-0.5.json");
        Assert.Equal("guidellm", imported.Detected);
        imported.Valid();
        // Measured: g5-2 (1.2 s, overlaps the window's start), g5-3 (1.0 s), g5-4 (2.0 s) and the errored g5-6.
        Assert.Equal(["g5-2", "g5-3", "g5-4", "g5-6"], imported.Events.Select(e => e.RequestId));
        var row = One(imported.Events);
        Assert.Equal((4L, 3L, 1L), (row.Events, row.Requests, row.Failures));
        Assert.Equal(1200, row.LatencyP50Ms!.Value, 6);     // sorted 1000, 1200, 2000: h = 1
        Assert.Equal(1920, row.LatencyP95Ms!.Value, 6);     // h = 1.9 → 1200 + 0.9·800
        Assert.Equal(150, row.TtftMs!.Value, 3);            // TTFTs 150, 100, 200 ms → median 150
        Assert.Equal(140.0 / 3, row.OutputTokens!.Value, 9); // (40 + 20 + 80) / 3
        Assert.Equal("Qwen/Qwen3-8B", imported.Events[0].Model); // config.backend.model: no --model needed
        Assert.Equal(2026, imported.Events[0].StartedAt.Year);  // 1795341600.8 s after the epoch, not 1970
        Assert.Contains(imported.File.Filled, f => f.StartsWith("2 warm-up/cool-down requests outside GuideLLM's measured window", StringComparison.Ordinal));
        Assert.Contains(imported.File.Filled, f => f.StartsWith("version: GuideLLM 0.5", StringComparison.Ordinal));
        Assert.Empty(imported.Warnings);
    }

    [Fact]
    public void Guidellm_05_fixed_concurrency_run_stays_one_group_at_its_streams()
    {
        var imported = Fixture("guidellm/benchmarks-0.5.json");
        // Without the strategy's 16 streams the intervals would reconstruct groups 1 and 2.
        var groups = EventRollup.Rollup(imported.Events);
        var group = Assert.Single(groups);
        Assert.Equal(16, group.Concurrency);
        Assert.Equal("logged", group.ConcurrencySource);
    }

    [Fact]
    public void Include_warmup_keeps_the_requests_outside_the_window()
    {
        var imported = Fixture("guidellm/benchmarks-0.5.json", Fill with { IncludeWarmup = true });
        imported.Valid();
        var row = One(imported.Events);
        // All five successes: 500, 1200, 1000, 2000, 500 → sorted 500, 500, 1000, 1200, 2000; p50 = 1000.
        Assert.Equal((6L, 5L), (row.Events, row.Requests));
        Assert.Equal(1000, row.LatencyP50Ms!.Value, 6);
        Assert.Equal(1840, row.LatencyP95Ms!.Value, 6);    // h = 3.8 → 1200 + 0.8·800
    }

    [Fact]
    public void A_concurrency_flag_that_disagrees_with_the_strategy_is_reported_not_silently_dropped()
    {
        var imported = Fixture("guidellm/benchmarks-0.5.json", Fill with { Concurrency = 8 });
        imported.Valid();
        Assert.All(imported.Events, e => Assert.Equal(16, e.Concurrency));
        Assert.Contains(imported.Warnings, w => w.Contains("--concurrency was not used", StringComparison.Ordinal) && w.Contains("concurrency 16", StringComparison.Ordinal));
    }

    [Fact]
    public void Include_warmup_on_a_layout_without_a_window_is_reported_unused()
    {
        var imported = Fixture("guidellm/benchmarks.json", Fill with { IncludeWarmup = true, Concurrency = 2 });
        imported.Valid();
        Assert.Contains(imported.Warnings, w => w.Contains("--include-warmup was given but not used", StringComparison.Ordinal));
        Assert.Contains(imported.File.Filled, f => f.StartsWith("version: GuideLLM 0.3–0.4", StringComparison.Ordinal));
    }

    [Fact]
    public void A_guidellm_01_report_is_refused_naming_the_version()
    {
        var imported = Text("benchmarks.json", """
            {"benchmarks": [{"type_": "text_generation_benchmark_report", "benchmarks": [{"type_": "text_generation_benchmark", "mode": "synchronous", "results": []}], "args": []}]}
            """);
        Assert.Equal("guidellm", imported.Detected);
        var error = Assert.Single(imported.Errors);
        Assert.Contains("GuideLLM 0.1/0.2", error);
    }
}

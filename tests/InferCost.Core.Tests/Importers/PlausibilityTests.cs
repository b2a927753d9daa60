using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;
using InferCost.Core.Importers;
using static InferCost.Core.Tests.Importers.ImportHarness;

namespace InferCost.Core.Tests.Importers;

/// <summary>The shared plausibility checks every import runs: one test per check, plus the check reaching a real
/// importer's file and a plausible file passing clean.</summary>
public sealed class PlausibilityTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static RequestEvent E(int i, double latencyMs, double? ttftMs = null, long input = 100, long output = 10, EventStatus status = EventStatus.Ok,
        DateTimeOffset? at = null, string model = "m") => new()
    {
        RequestId = $"r{i}", StartedAt = at ?? At.AddSeconds(i), LatencyMs = latencyMs, TtftMs = ttftMs, Route = Routes.SelfHostedGpuStack, Provider = "vllm",
        Model = model, Workload = "support", InputTokens = input, OutputTokens = output, Status = status,
    };

    private static DiagnosticBag Check(params RequestEvent[] events)
    {
        var plausibility = new ImportPlausibility();
        var line = 0;
        foreach (var e in events)
        {
            plausibility.Observe(e, ++line);
        }
        var diagnostics = new DiagnosticBag();
        plausibility.Report(diagnostics, "test format", carriesUsage: true);
        return diagnostics;
    }

    [Fact]
    public void A_plausible_file_has_no_findings()
    {
        var d = Check(E(1, 800, 100), E(2, 1200, 150), E(3, 1000, 120, status: EventStatus.Error));
        Assert.Equal((0L, 0L), (d.ErrorCount, d.WarningCount));
    }

    [Fact]
    public void Every_latency_zero_is_an_error_naming_the_field_and_count()
    {
        var d = Check(E(1, 0), E(2, 0), E(3, 0), E(4, 500, status: EventStatus.Error)); // the failure's latency does not count
        var error = Assert.Single(d.Errors);
        Assert.Equal("latencyMs", error.Column);
        Assert.Contains("is 0 in all 3 successful records", error.Message);
    }

    [Fact]
    public void Ttft_above_latency_is_one_error_with_the_count_and_first_record()
    {
        var d = Check(E(1, 800, 100), E(2, 500, 900), E(3, 400, 700));
        var error = Assert.Single(d.Errors);
        Assert.Equal("ttftMs", error.Column);
        Assert.Contains("exceeds latencyMs in 2 successful records (first at record 2)", error.Message);
    }

    [Fact]
    public void Every_start_at_the_epoch_is_a_warning()
    {
        var d = Check(E(1, 800, at: DateTimeOffset.UnixEpoch), E(2, 900, at: DateTimeOffset.UnixEpoch.AddSeconds(3)));
        var warning = Assert.Single(d.Warnings);
        Assert.Equal("startedAt", warning.Column);
        Assert.Contains("is in 1970 (the Unix epoch) for all 2 records", warning.Message);
    }

    [Fact]
    public void No_tokens_in_any_record_of_a_format_that_records_usage_is_a_warning_per_field()
    {
        var d = Check(E(1, 800, input: 0, output: 0), E(2, 900, input: 0, output: 0));
        Assert.Equal(["inputTokens", "outputTokens"], d.Warnings.Select(w => w.Column));
        Assert.All(d.Warnings, w => Assert.Contains("is 0 in all 2 successful records although a test format file records usage", w.Message));
        Assert.Equal(0, d.ErrorCount);
    }

    [Theory]
    [InlineData(0.8, 1.2, "under 1 ms")]    // seconds read as milliseconds: 0.8, 1.2 and 0.9 → median 0.9 ms
    [InlineData(1.5e9, 2.5e9, "over a day")] // nanoseconds read as milliseconds: median 1.75e9 ms, about 20 days
    public void A_median_latency_off_by_a_thousand_is_a_warning(double a, double b, string says)
    {
        var d = Check(E(1, a), E(2, b), E(3, Math.Min(a, b) + (Math.Max(a, b) - Math.Min(a, b)) / 4));
        var warning = Assert.Single(d.Warnings);
        Assert.Equal("latencyMs", warning.Column);
        Assert.Contains(says, warning.Message);
        Assert.Contains("off by 10^3", warning.Message);
    }

    [Fact]
    public void A_group_whose_requests_all_failed_is_a_warning_naming_it()
    {
        var d = Check(E(1, 800), E(2, 900), E(3, 0, status: EventStatus.Error, model: "broken"), E(4, 0, status: EventStatus.Timeout, model: "broken"));
        var warning = Assert.Single(d.Warnings);
        Assert.Equal("status", warning.Column);
        Assert.Contains("is a failure for all 2 requests of broken", warning.Message);
    }

    [Fact]
    public void A_row_with_zero_latency_percentiles_is_an_error()
    {
        var plausibility = new ImportPlausibility();
        plausibility.Observe(new TraceRow
        {
            Route = Routes.SelfHostedGpuStack, Provider = "vllm", Model = "m", Workload = "w", InputTokens = 1, OutputTokens = 1, CacheHitRate = 0, BatchEligible = false,
            Concurrency = 1, TtftMs = 0, LatencyP50Ms = 0, LatencyP95Ms = 0, OutputTokensPerSecond = 1, AcceptedOutputRate = 1, CostUsd = null, ReviewMinutes = 0,
        }, 1);
        var diagnostics = new DiagnosticBag();
        plausibility.Report(diagnostics, "test format", carriesUsage: true);
        Assert.Equal("latencyP50Ms", Assert.Single(diagnostics.Errors).Column);
    }

    [Fact]
    public void The_checks_run_on_an_importers_file_and_name_it()
    {
        // A Helicone export whose latency column is 0 throughout: refused, with the file and field in the sentence.
        var imported = Text("helicone.csv", """
            request_id,request_created_at,latency,time_to_first_token,prompt_tokens,prompt_cache_read_tokens,prompt_cache_write_tokens,completion_tokens,model,provider,status,cost
            a,2026-11-22 10:00:00.000,0,,100,0,0,80,claude-3-5-haiku-20241022,ANTHROPIC,200,4500000
            b,2026-11-22 10:00:01.000,0,,100,0,0,60,claude-3-5-haiku-20241022,ANTHROPIC,200,2000000
            """, Fill with { Provider = null }, "helicone");
        var error = Assert.Single(imported.Errors);
        Assert.StartsWith("helicone.csv, field latencyMs: is 0 in all 2 successful records", error);
    }

    [Fact]
    public void A_batch_format_that_logs_no_latency_is_not_flagged_for_it()
    {
        var imported = Fixture("openai/batch_output.jsonl", Fill with { Route = null, Provider = null });
        imported.Valid();
        Assert.DoesNotContain(imported.File.Result.Diagnostics.Warnings, w => w.Column == "latencyMs");
    }
}

using System.Text;
using InferCost.Core.Events;
using InferCost.Core.Reading;

namespace InferCost.Core.Tests.Events;

public sealed class EventReaderTests
{
    private const string Header = "requestId,startedAt,latencyMs,route,provider,model,workload,inputTokens,cachedInputTokens,outputTokens,ttftMs,status,accepted,costUsd";

    private static (TraceFileResult Result, List<RequestEvent> Events) Read(string text, TraceFormat format = TraceFormat.Csv) =>
        EventReader.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(text)), "inline", format);

    [Fact]
    public void Csv_events_read_with_iso_and_epoch_timestamps_and_empty_judgement()
    {
        var (result, events) = Read(Header + "\n" +
            "r1,2026-11-22T10:00:00.250Z,1200,managed,OpenAI,gpt-4.1,support,1000,400,200,300,ok,true,0.0125\n" +
            "r2,1795341600000,800.5,Dedicated endpoint,Baseten,llama,support,10,0,5,,timeout,,\n");

        Assert.True(result.IsValid, string.Join("; ", result.Diagnostics.Errors.Select(d => d.ToSentence("inline"))));
        Assert.Equal(2, events.Count);
        Assert.Equal("Managed frontier API", events[0].Route);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, 250, TimeSpan.Zero), events[0].StartedAt);
        Assert.Equal(400, events[0].CachedInputTokens);
        Assert.Equal(0.0125m, events[0].CostUsd);
        Assert.True(events[0].Accepted);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795341600000), events[1].StartedAt);
        Assert.Equal(EventStatus.Timeout, events[1].Status);
        Assert.Null(events[1].Accepted);
        Assert.Null(events[1].TtftMs);
        Assert.Null(events[1].CostUsd);
    }

    [Fact]
    public void Ended_at_gives_the_latency()
    {
        var (result, events) = Read("requestId,startedAt,endedAt,route,provider,model,workload,inputTokens,outputTokens\n" +
            "a,2026-01-01T00:00:00Z,2026-01-01T00:00:01.5+00:00,managed,p,m,w,1,1\n");
        Assert.True(result.IsValid);
        Assert.Equal(1500, events[0].LatencyMs, 9);
        Assert.Equal(EventStatus.Ok, events[0].Status);
        Assert.Contains(result.Diagnostics.Warnings, d => d.Column == "status"); // absent status column: every event ok, said so
    }

    [Fact]
    public void Every_problem_of_a_row_is_reported_with_line_column_and_value()
    {
        var (result, events) = Read(Header + "\n" +
            "r1,yesterday,-5,mars,p,m,w,1.5,0,2,,done,maybe,1\n");

        Assert.Empty(events);
        var errors = result.Diagnostics.Errors;
        Assert.Contains(errors, d => d is { Line: 2, ColumnNumber: 2, Column: "startedAt", Value: "yesterday" });
        Assert.Contains(errors, d => d is { Line: 2, ColumnNumber: 3, Column: "latencyMs", Value: "-5" });
        Assert.Contains(errors, d => d is { Line: 2, ColumnNumber: 4, Column: "route", Value: "mars" });
        Assert.Contains(errors, d => d is { Line: 2, ColumnNumber: 8, Column: "inputTokens", Value: "1.5" } && d.Message.Contains("whole number"));
        Assert.Contains(errors, d => d is { Line: 2, ColumnNumber: 12, Column: "status", Value: "done" });
        Assert.Contains(errors, d => d is { Line: 2, ColumnNumber: 13, Column: "accepted", Value: "maybe" });
    }

    [Fact]
    public void Cached_tokens_above_input_and_ttft_above_latency_are_errors()
    {
        var (result, _) = Read(Header + "\nr1,2026-01-01T00:00:00Z,100,managed,p,m,w,10,11,2,150,ok,,\n");
        Assert.Contains(result.Diagnostics.Errors, d => d.Column == "cachedInputTokens" && d.Message.Contains("exceed inputTokens"));
        Assert.Contains(result.Diagnostics.Errors, d => d.Column == "ttftMs" && d.Message.Contains("exceeds the latency"));
    }

    [Fact]
    public void Header_without_latency_or_end_is_an_error_on_line_1()
    {
        var (result, _) = Read("requestId,startedAt,route,provider,model,workload,inputTokens,outputTokens\na,2026-01-01T00:00:00Z,managed,p,m,w,1,1\n");
        Assert.Contains(result.Diagnostics.Errors, d => d.Line == 1 && d.Message.Contains("latencyMs or endedAt"));
    }

    [Fact]
    public void A_truncated_json_line_reports_its_line()
    {
        const string good = """{"requestId":"a","startedAt":"2026-01-01T00:00:00Z","latencyMs":10,"route":"managed","provider":"p","model":"m","workload":"w","inputTokens":1,"outputTokens":1}""";
        var (result, events) = Read(good + "\n" + good.Replace("\"a\"", "\"b\"") + "\n" + good[..40] + "\n", TraceFormat.Jsonl);

        Assert.Equal(2, events.Count);
        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("not valid JSON", error.Message);
        Assert.NotNull(error.ColumnNumber);
        Assert.StartsWith($"inline, line 3, column {error.ColumnNumber}:", error.ToSentence("inline"));
    }

    [Fact]
    public void Json_values_may_be_strings_numbers_booleans_or_null_and_a_document_may_wrap_events()
    {
        var json = """
            {"schema": "x", "events": [
              {"requestId": "a", "startedAt": 1767225600000, "latencyMs": "12.5", "route": "owned", "provider": "p", "model": "m",
               "workload": "w", "inputTokens": 3, "outputTokens": "4", "accepted": false, "ttftMs": null, "batch": true, "extra": 1}
            ]}
            """;
        var (result, events) = Read(json, TraceFormat.Json);
        Assert.True(result.IsValid);
        var e = Assert.Single(events);
        Assert.Equal(12.5, e.LatencyMs);
        Assert.False(e.Accepted);
        Assert.True(e.Batch);
        Assert.Null(e.TtftMs);
        Assert.Contains(result.Diagnostics.Warnings, d => d.Column == "extra" && d.Line == 3);
    }

    [Fact]
    public void A_json_event_missing_a_required_field_names_it()
    {
        var (result, _) = Read("""{"requestId":"a","startedAt":"2026-01-01T00:00:00Z","latencyMs":10,"route":"managed","provider":"p","model":"m","inputTokens":1,"outputTokens":1}""", TraceFormat.Jsonl);
        Assert.Contains(result.Diagnostics.Errors, d => d is { Line: 1, Column: "workload" } && d.Message == "required field is missing");
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace InferCost.Studio.Tests;

/// <summary>Uploads in any importer format: detection by content, fill-ins, and the refusals.</summary>
public class ImporterUploadTests
{
    private static readonly string VllmPath = StudioHost.Fixture("importers/vllm-bench/result-detailed.json");

    private static readonly string[] Formats =
        ["auto", "contract", "events", "vllm-bench", "genai-perf", "aiperf", "guidellm", "llmperf", "litellm", "langfuse", "helicone", "otel", "openai", "anthropic"];

    private static MultipartFormDataContent Upload(string fileName, string content, string? format = null, params (string Field, string Value)[] fields)
    {
        var form = StudioHost.Upload(fileName, content, format);
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        return form;
    }

    private static MultipartFormDataContent VllmUpload(string? format = null) =>
        Upload("result.json", File.ReadAllText(VllmPath), format, ("route", "self-hosted"), ("workload", "support"), ("provider", "vllm"));

    /// <summary>The fixture's requests, their errors, and the p95 of the successful ones' latencies (TTFT plus the
    /// inter-token gaps, in ms), interpolated between closest ranks: h = (n − 1) × 0.95.</summary>
    private static (int Requests, int Errors, double P95Ms, string Model, long Concurrency) Expected()
    {
        var root = JsonNode.Parse(File.ReadAllText(VllmPath))!;
        var ttfts = root["ttfts"]!.AsArray().Select(t => (double)t!).ToList();
        var itls = root["itls"]!.AsArray().Select(a => a!.AsArray().Sum(x => (double)x!)).ToList();
        var errors = root["errors"]!.AsArray().Select(e => (string?)e).ToList();
        var latencies = Enumerable.Range(0, ttfts.Count).Where(i => string.IsNullOrEmpty(errors[i])).Select(i => (ttfts[i] + itls[i]) * 1000).Order().ToList();
        var h = (latencies.Count - 1) * 0.95;
        var low = (int)Math.Floor(h);
        var p95 = latencies[low] + (h - low) * (latencies[Math.Min(low + 1, latencies.Count - 1)] - latencies[low]);
        return (ttfts.Count, errors.Count(e => !string.IsNullOrEmpty(e)), p95, (string)root["model_id"]!, (long)root["max_concurrency"]!);
    }

    [Fact]
    public async Task A_vllm_result_is_detected_filled_in_and_rolled_up_from_its_events()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var response = await client.PostAsync("/api/import", VllmUpload());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = Expected();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var file = body["files"]![0]!;
        Assert.Equal("vllm-bench", (string?)file["importFormat"]);
        Assert.True((bool)file["detected"]!);
        var filled = file["filled"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.Contains(filled, f => f.StartsWith("route", StringComparison.Ordinal));
        Assert.Contains(filled, f => f.StartsWith("workload", StringComparison.Ordinal));
        Assert.Contains(filled, f => f.StartsWith("provider", StringComparison.Ordinal));
        Assert.DoesNotContain(filled, f => f.StartsWith("model", StringComparison.Ordinal)); // the result names its model
        Assert.Equal(expected.Requests, (long)body["eventsImported"]!);
        Assert.Equal(expected.Requests, (long)JsonNode.Parse(await client.GetStringAsync("/api/ledger"))!["totalEvents"]!);

        using var metrics = JsonDocument.Parse(await client.GetStringAsync("/api/metrics"));
        var group = Assert.Single(metrics.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("events", group.GetProperty("percentileSource").GetString());
        Assert.Equal("Self-hosted GPU stack", group.GetProperty("route").GetString());
        Assert.Equal("support", group.GetProperty("workload").GetString());
        Assert.Equal("vllm", group.GetProperty("provider").GetString());
        Assert.Equal(expected.Model, group.GetProperty("model").GetString());
        Assert.Equal(expected.Concurrency, group.GetProperty("concurrency").GetInt64());
        // requests counts successful attempts (the outputs measured); the error rate is over every attempt.
        Assert.Equal(expected.Requests - expected.Errors, group.GetProperty("requests").GetInt64());
        Assert.Equal((double)expected.Errors / expected.Requests, group.GetProperty("errorRate").GetDouble(), 9);
        Assert.Equal(expected.P95Ms, group.GetProperty("latencyP95Ms").GetDouble(), 6);
    }

    [Fact]
    public async Task A_named_format_is_used_and_missing_fill_ins_are_422_with_nothing_imported()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        // Named, not detected; without route and workload the vLLM result cannot be imported.
        var response = await client.PostAsync("/api/import", Upload("result.json", File.ReadAllText(VllmPath), "vllm-bench"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("infercost.validation/v1", (string?)body["schema"]);
        var messages = body["files"]![0]!["errors"]!.AsArray().Select(e => e!.ToJsonString()).ToList();
        Assert.Contains(messages, m => m.Contains("--route", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("--workload", StringComparison.Ordinal));
        var ledger = JsonNode.Parse(await client.GetStringAsync("/api/ledger"))!;
        Assert.Equal(0, (long)ledger["totalRows"]!);
        Assert.Equal(0, (long)ledger["totalEvents"]!);

        var named = JsonNode.Parse(await (await client.PostAsync("/api/import", VllmUpload("vllm-bench"))).Content.ReadAsStringAsync())!;
        Assert.False((bool)named["files"]![0]!["detected"]!);
        Assert.Equal("vllm-bench", (string?)named["files"]![0]!["importFormat"]);
    }

    [Fact]
    public async Task An_undetectable_file_is_422_listing_every_format_and_imports_nothing()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var response = await client.PostAsync("/api/import", Upload("mystery.json", """{"hello": "world", "n": 1}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!;
        Assert.Contains("cannot be detected", detail);
        foreach (var name in Formats.Where(f => f != "auto"))
        {
            Assert.Contains(name, detail);
        }
        Assert.False(File.Exists(host.LedgerPath));
    }

    [Fact]
    public async Task An_unknown_format_name_or_a_bad_concurrency_is_400()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var response = await client.PostAsync("/api/import", Upload("result.json", File.ReadAllText(VllmPath), "vllm-benchx"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!;
        Assert.Contains("'vllm-benchx' is not supported", detail);
        Assert.Contains("vllm-bench, genai-perf", detail);

        var concurrency = await client.PostAsync("/api/import", Upload("result.json", File.ReadAllText(VllmPath), null, ("concurrency", "0")));
        Assert.Equal(HttpStatusCode.BadRequest, concurrency.StatusCode);
        Assert.Contains("at least 1", await concurrency.Content.ReadAsStringAsync());
        Assert.False(File.Exists(host.LedgerPath));
    }

    [Fact]
    public async Task The_page_lists_every_format_and_labelled_fill_ins_and_says_what_it_read()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var page = await client.GetStringAsync("/import");
        var options = Regex.Matches(Regex.Match(page, "<select id=\"format\"[^>]*>(.*?)</select>", RegexOptions.Singleline).Groups[1].Value, "<option value=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Formats, options);
        foreach (var field in new[] { "route", "workload", "provider", "model", "concurrency" })
        {
            Assert.Contains($"<label for=\"{field}\">", page);
            Assert.Matches($"<(input|select) id=\"{field}\" name=\"{field}\"", page);
        }

        var token = Regex.Match(page, "name=\"([^\"]+)\" value=\"([^\"]+)\"");
        var form = VllmUpload();
        form.Add(new StringContent(WebUtility.HtmlDecode(token.Groups[2].Value)), token.Groups[1].Value);
        var posted = await client.PostAsync("/import", form);
        var html = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Read as vllm-bench", html);
        Assert.Contains("detected from the content", html);
        Assert.Matches("filled, not read from the file: [^<]*route", html);
        Assert.Contains($"imported {Expected().Requests.ToString(CultureInfo.InvariantCulture)} events (vllm-bench", html);
    }
}

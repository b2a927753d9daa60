using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferCost.Studio.Tests;

/// <summary>The JSON API, each test on its own app and ledger.</summary>
public class ApiTests
{
    private static readonly string Template = File.ReadAllText(StudioHost.Fixture("contract/template.csv"));

    [Fact]
    public async Task Healthz_answers_ok()
    {
        using var host = new StudioHost();
        var json = JsonNode.Parse(await host.CreateClient().GetStringAsync("/healthz"))!;
        Assert.Equal("ok", (string?)json["status"]);
    }

    [Fact]
    public async Task Import_of_a_valid_file_adds_its_rows_and_a_second_import_adds_nothing()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var response = await client.PostAsync("/api/import", StudioHost.Upload("template.csv", Template));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var dataLines = Template.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        Assert.Equal(3, dataLines);
        Assert.Equal(dataLines, (long)body["rowsImported"]!);
        Assert.Equal("imported", (string?)body["files"]![0]!["status"]);

        var ledger = JsonNode.Parse(await client.GetStringAsync("/api/ledger"))!;
        Assert.Equal(3, (long)ledger["totalRows"]!);

        var again = JsonNode.Parse(await (await client.PostAsync("/api/import", StudioHost.Upload("copy.csv", Template))).Content.ReadAsStringAsync())!;
        Assert.True((bool)again["nothingNew"]!);
        Assert.Equal("alreadyImported", (string?)again["files"]![0]!["status"]);
        Assert.Equal(3, (long)JsonNode.Parse(await client.GetStringAsync("/api/ledger"))!["totalRows"]!);
    }

    [Fact]
    public async Task Import_of_an_invalid_file_is_422_with_line_and_column_and_imports_nothing()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var bad = File.ReadAllText(StudioHost.Fixture("contract/rate-above-one.csv"));
        var response = await client.PostAsync("/api/import", StudioHost.Upload("rates.csv", bad));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("infercost.validation/v1", (string?)body["schema"]);
        Assert.False((bool)body["valid"]!);
        var error = body["files"]![0]!["errors"]![0]!;
        // The second data row is physical line 3; cacheHitRate is the 7th column; 1.7 is outside [0, 1].
        Assert.Equal(3, (long)error["line"]!);
        Assert.Equal(7, (int)error["columnNumber"]!);
        Assert.Equal("cacheHitRate", (string?)error["column"]);
        Assert.Equal("1.7", (string?)error["value"]);

        var ledger = JsonNode.Parse(await client.GetStringAsync("/api/ledger"))!;
        Assert.Equal(0, (long)ledger["totalRows"]!);
        Assert.Empty(ledger["imports"]!.AsArray());
    }

    [Fact]
    public async Task Import_answers_what_infercost_validate_answers_for_the_same_bad_file()
    {
        using var host = new StudioHost();
        var path = StudioHost.Fixture("contract/rate-above-one.csv");
        var response = await host.CreateClient().PostAsync("/api/import", StudioHost.Upload("rate-above-one.csv", File.ReadAllText(path)));
        var cli = StudioHost.Cli("validate", path, "--format", "json");
        Assert.Equal(1, cli.Exit);
        var fromCli = JsonNode.Parse(cli.Out)!;
        fromCli["files"]![0]!["path"] = "rate-above-one.csv"; // the CLI names the path it was given; Studio the uploaded name
        Assert.True(JsonNode.DeepEquals(fromCli, JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task Metrics_equals_what_infercost_metrics_prints_for_the_same_ledger()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        await client.PostAsync("/api/import", StudioHost.Upload("template.csv", Template));

        var api = JsonNode.Parse(await client.GetStringAsync("/api/metrics?reviewerUsdPerHour=90&targetP95Ms=20000"))!;
        var cli = StudioHost.Cli("metrics", "--ledger", host.LedgerPath, "--format", "json", "--reviewer-usd-per-hour", "90", "--target-p95-ms", "20000");
        Assert.Equal(0, cli.Exit);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli.Out), api), "GET /api/metrics differs from infercost metrics --format json");

        // And the value itself, by hand: (0.046 + 5.0 / 60 × 90) / 0.72 for the invoice-review row.
        var invoice = api["groups"]!.AsArray().Single(g => (string?)g!["workload"] == "invoice-review")!;
        Assert.Equal((0.046m + 5.0m / 60m * 90m) / 0.72m, (decimal)invoice["costPerAcceptedOutputUsd"]!, 6);
    }

    [Fact]
    public async Task Metrics_of_an_empty_ledger_is_404_with_a_sentence_and_a_bad_number_is_400()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var empty = await client.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        Assert.Contains("holds no rows", await empty.Content.ReadAsStringAsync());

        await client.PostAsync("/api/import", StudioHost.Upload("template.csv", Template));
        var bad = await client.GetAsync("/api/metrics?reviewerUsdPerHour=6,5");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("reviewerUsdPerHour '6,5'", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_csv_neutralises_a_formula_in_a_model_name()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var evil = Template.Replace("frontier-reasoning-model-id", "=HYPERLINK(\"http://x\")", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/import", StudioHost.Upload("evil.csv", evil))).StatusCode);
        var csv = await client.GetStringAsync("/api/metrics?format=csv");
        Assert.Contains("'=HYPERLINK(", csv);
        Assert.DoesNotContain(",=HYPERLINK(", csv);
        Assert.DoesNotContain(",\"=HYPERLINK(", csv);
    }

    [Fact]
    public async Task Report_json_download_is_the_report_json_infercost_report_writes()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        await client.PostAsync("/api/import", StudioHost.Upload("template.csv", Template));
        var folder = Path.Combine(host.Folder, "report");
        Assert.Equal(0, StudioHost.Cli("report", "--ledger", host.LedgerPath, "--out", folder).Exit);

        foreach (var (format, file) in new[] { ("json", "report.json"), ("md", "report.md"), ("html", "report.html") })
        {
            var response = await client.GetAsync($"/api/report?format={format}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(file, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal(File.ReadAllText(Path.Combine(folder, file)), await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_413_with_the_limit_in_the_message_and_imports_nothing()
    {
        using var host = new StudioHost(new() { ["Studio:MaxUploadBytes"] = "200" });
        var client = host.CreateClient();
        var response = await client.PostAsync("/api/import", StudioHost.Upload("template.csv", Template));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than the 200 bytes limit", await response.Content.ReadAsStringAsync());
        Assert.False(File.Exists(host.LedgerPath));
    }

    [Fact]
    public async Task The_uploaded_name_is_a_label_never_a_path()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        // A name of this test's own: a fixed one ("/tmp/x") failed a cold CI run when something else on the machine
        // had made that folder, which says nothing about Studio.
        var escape = "x-" + Guid.NewGuid().ToString("N");
        var response = await client.PostAsync("/api/import", StudioHost.Upload($"../../../tmp/evil/../{escape}/traces.csv", Template));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ledger = JsonNode.Parse(await client.GetStringAsync("/api/ledger"))!;
        Assert.Equal("traces.csv", (string?)ledger["imports"]![0]!["sourcePath"]);
        Assert.False(Directory.Exists(Path.Combine("/tmp", escape)));
        // Besides the ledger only the writers' lock file (kept beside it, see the ledger's WriteCopy).
        Assert.Equal([".ledger.duckdb.lock", "ledger.duckdb"], Directory.GetFiles(host.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_post_from_another_site_is_refused_and_a_form_post_without_its_token_imports_nothing()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/import") { Content = StudioHost.Upload("template.csv", Template) };
        request.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);

        var form = await client.PostAsync("/import", StudioHost.Upload("template.csv", Template));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Contains("did not come from Studio", await form.Content.ReadAsStringAsync());
        Assert.False(File.Exists(host.LedgerPath));
    }

    [Fact]
    public async Task With_an_access_token_every_page_but_healthz_needs_it()
    {
        const string token = "0123456789abcdef-token";
        using var host = new StudioHost(new() { ["Studio:AccessToken"] = token });
        var client = host.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/ledger?token=wrong")).StatusCode);

        var withBearer = new HttpRequestMessage(HttpMethod.Get, "/api/ledger");
        withBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withBearer)).StatusCode);

        var first = await client.GetAsync("/?token=" + token);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/", first.Headers.Location?.OriginalString);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Fit_equals_what_infercost_fit_prints()
    {
        using var host = new StudioHost();
        var api = await host.CreateClient().GetStringAsync("/api/fit?model=Llama-3.1-70B&gpu=h100&gpus=4&context=32k&batch=16&weights=fp8");
        var cli = StudioHost.Cli("fit", "--model", "Llama-3.1-70B", "--gpu", "h100", "--gpus", "4", "--context", "32k", "--batch", "16", "--weights", "fp8", "--format", "json");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli.Out), JsonNode.Parse(api)));
    }

    [Fact]
    public async Task Simulate_is_deterministic_per_seed_and_says_why_a_value_is_null()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        const string query = "/api/simulate?rate=8&meanServiceMs=1000&replicas=10&requests=20000&seed=7";
        var first = JsonNode.Parse(await client.GetStringAsync(query))!;
        var second = JsonNode.Parse(await client.GetStringAsync(query))!;
        Assert.True(JsonNode.DeepEquals(first, second));
        // Offered load 8/s × 1 s over 10 replicas: utilization near 0.8 (Erlang C, M/M/10).
        Assert.InRange((double)first["result"]!["utilization"]!, 0.75, 0.85);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/simulate?rate=8&meanServiceMs=1000&requests=99999999")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var host = new StudioHost();
        var doc = JsonNode.Parse(await host.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/api/metrics", "/api/import", "/api/report", "/api/ledger", "/api/fit", "/api/simulate", "/healthz" })
        {
            Assert.Contains(path, paths);
        }
        Assert.DoesNotContain("/import", paths);
    }

    [Fact]
    public async Task A_foreign_host_name_is_refused_on_loopback()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/ledger");
        request.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(request)).StatusCode);
    }
}

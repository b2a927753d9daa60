using System.Text.Json;
using System.Text;
using InferCost.Bench.Emulator;
using InferCost.TestServers;

namespace InferCost.Cli.Tests;

public sealed class BenchCommandTests
{
    private const string Secret = "sk-test-7f3a9c1e5b2d4f60a8e7c9b1d3f5a7e9";

    private static (int Exit, string Out, string Err) Run(IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, output, error, CliEnvironment.ForTests(variables));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_api_key_is_sent_but_appears_in_no_output_file_nor_on_the_console()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorProfile { ApiKey = Secret, Reply = "ok" });
        var dir = CliRunner.TempFolder();
        var endpoint = new Uri(server.BaseAddress, "v1").ToString();
        var env = new Dictionary<string, string> { ["TEST_API_KEY"] = Secret };

        var (exit, stdout, stderr) = Run(env, "bench", "--endpoint", endpoint, "--model", "m", "--api-key-env", "TEST_API_KEY",
            "--route", "managed", "--synthetic", "isl=8,osl=4", "--concurrency", "2", "--requests", "4", "--accept", "contains:ok",
            "--out", dir);

        Assert.True(exit == 0, stderr);
        var events = File.ReadAllText(Path.Combine(dir, "events.jsonl"));
        // The key was sent: the emulator answers 401 without it, and every attempt succeeded.
        Assert.Equal(4, events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("\"status\":\"ok\"")));
        foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, File.ReadAllText(file));
        }
        Assert.DoesNotContain(Secret, stdout);
        Assert.DoesNotContain(Secret, stderr);
        Assert.Contains("\"apiKeyEnv\": \"TEST_API_KEY\"", File.ReadAllText(Path.Combine(dir, "summary.json")));
    }

    [Fact]
    public async Task Without_the_key_every_attempt_is_a_4xx_error_and_the_run_exits_1()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorProfile { ApiKey = Secret });
        var dir = CliRunner.TempFolder();

        var (exit, _, stderr) = Run(new Dictionary<string, string>(), "bench", "--endpoint", new Uri(server.BaseAddress, "v1").ToString(),
            "--model", "m", "--route", "managed", "--synthetic", "isl=8,osl=4", "--concurrency", "1", "--requests", "2", "--out", dir);

        Assert.True(exit == 1, stderr);
        Assert.Contains("no request succeeded (http_4xx 2 of 2 attempts)", stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var level = summary.RootElement.GetProperty("levels")[0];
        Assert.Equal(2, level.GetProperty("errorsByClass").GetProperty("http_4xx").GetInt32());
        Assert.Equal("no successful request at this level", level.GetProperty("rowReason").GetString());
    }

    [Fact]
    public async Task Summary_rows_per_level_are_valid_contract_rows_with_accepted_rates_from_the_dataset()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorProfile { Reply = "4" });
        var dir = CliRunner.TempFolder();
        var dataset = Path.Combine(dir, "prompts.jsonl");
        // Two of three prompts expect "4": the exact evaluator (the default with expected answers) accepts 2 of 3.
        File.WriteAllText(dataset, "{\"prompt\":\"2+2?\",\"expected\":\"4\"}\n{\"prompt\":\"3+1?\",\"expected\":\"4\"}\n{\"prompt\":\"2+3?\",\"expected\":\"5\"}\n");

        var (exit, stdout, stderr) = Run(new Dictionary<string, string>(), "bench", "--endpoint", new Uri(server.BaseAddress, "v1").ToString(),
            "--model", "m", "--route", "serverless", "--dataset", dataset, "--concurrency", "1,3", "--requests", "6",
            "--target-ms", "5000", "--out", dir);

        Assert.True(exit == 0, stderr);
        Assert.Contains("conc 3", stdout);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("infercost.bench/v1", summary.RootElement.GetProperty("schema").GetString());
        var rows = summary.RootElement.GetProperty("rows");
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal([1L, 3L], rows.EnumerateArray().Select(r => r.GetProperty("concurrency").GetInt64()).ToArray());
        Assert.All(rows.EnumerateArray(), r => Assert.Equal(4.0 / 6, r.GetProperty("acceptedOutputRate").GetDouble(), 9));
        Assert.All(rows.EnumerateArray(), r => Assert.Equal("prompts", r.GetProperty("workload").GetString()));
        var rowsFile = Path.Combine(dir, "rows.json");
        File.WriteAllText(rowsFile, rows.GetRawText());
        var (validateExit, _, validateErr) = CliRunner.Run("validate", rowsFile);
        Assert.True(validateExit == 0, validateErr);
    }

    private static string Sse(string content) =>
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JsonSerializer.Serialize(content) + "}}]}\n\n";

    [Fact]
    public async Task Events_from_an_endpoint_with_negative_usage_are_errors_that_import_accepts()
    {
        // Every stream ends well but claims −5 prompt and −3 completion tokens; before, bench wrote them as ok events
        // with those counts and its own import refused the file.
        await using var server = new RawHttpServer(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Sse("hi") + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":-3}}\n\ndata: [DONE]\n\n");
        });
        var dir = CliRunner.TempFolder();

        var (exit, _, stderr) = CliRunner.Run("bench", "--endpoint", server.Endpoint, "--model", "m", "--route", "owned",
            "--synthetic", "isl=4,osl=2", "--concurrency", "1", "--requests", "3", "--out", dir);

        Assert.NotEqual(0, exit); // every request failed
        Assert.True(exit == 1, stderr);
        var eventsPath = Path.Combine(dir, "events.jsonl");
        var lines = File.ReadAllLines(eventsPath);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"status\":\"error\"", l));
        Assert.All(lines, l => Assert.Contains("\"outputTokens\":1", l)); // "hi", counted with o200k_base
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))))
        {
            Assert.Equal(3, summary.RootElement.GetProperty("levels")[0].GetProperty("errorsByClass").GetProperty("implausible_usage").GetInt32());
        }
        var import = CliRunner.Run("import", eventsPath, "--ledger", Path.Combine(dir, "l.duckdb"));
        Assert.True(import.Exit == 0, import.Err);
        Assert.Contains("imported 3 events", import.Out);
    }

    [Fact]
    public async Task A_retry_after_of_an_hour_waits_backoff_max_ms_and_says_so()
    {
        await using var server = new RawHttpServer(async x =>
        {
            if (x.Request.Index == 0)
            {
                await x.RespondAsync(429, "application/json", "{}", "Retry-After: 3600");
                return;
            }
            await x.StartStreamAsync();
            await x.WriteAsync(Sse("ok") + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        });
        var dir = CliRunner.TempFolder();

        var (exit, _, stderr) = CliRunner.Run("bench", "--endpoint", server.Endpoint, "--model", "m", "--route", "owned",
            "--synthetic", "isl=4,osl=2", "--concurrency", "1", "--requests", "1", "--max-retries", "1", "--backoff-max-ms", "50", "--out", dir);

        Assert.True(exit == 0, stderr);
        Assert.Contains("conc 1: 1 retry waited --backoff-max-ms (50 ms) although the server's Retry-After asked for up to 3600 s.", stderr);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "events.jsonl")).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(1, summary.RootElement.GetProperty("levels")[0].GetProperty("retryAfterCapped").GetInt32());
    }

    [Fact]
    public async Task A_credential_in_the_endpoint_url_appears_in_no_output_file_nor_on_the_console()
    {
        await using var server = new RawHttpServer(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Sse("ok") + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        });
        var dir = CliRunner.TempFolder();
        var endpoint = $"http://alice:pw-5e1f9a@127.0.0.1:{server.Port}/v1?api_key=q-77c2d0";

        var (exit, stdout, stderr) = CliRunner.Run("bench", "--endpoint", endpoint, "--model", "m", "--route", "owned",
            "--synthetic", "isl=4,osl=2", "--concurrency", "1", "--requests", "2", "--out", dir);

        Assert.True(exit == 0, stderr);
        Assert.Equal(2, server.RequestCount);
        foreach (var secret in new[] { "pw-5e1f9a", "q-77c2d0", "alice" })
        {
            Assert.DoesNotContain(secret, stdout);
            Assert.DoesNotContain(secret, stderr);
            foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(secret, File.ReadAllText(file));
            }
        }
        // Not sent either (the HTTP stack ignores user info), and the run says so rather than leave a 401 unexplained.
        Assert.DoesNotContain("Authorization", server.Requests[0].Headers.Keys);
        Assert.Contains("the user info in --endpoint is neither sent nor shown", stderr);
    }

    [Theory]
    [InlineData("--concurrency", "1", "--rate", "2", "not both or neither")]
    [InlineData("--concurrency", "0", "--requests", "1", "--concurrency must be a comma-separated list")]
    public void Bad_flags_exit_2_with_one_sentence_each(params string[] extra)
    {
        var expected = extra[^1];
        string[] args = ["bench", "--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--route", "owned", "--synthetic", "isl=1,osl=1", "--out", CliRunner.TempFolder(), .. extra[..^1]];
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void A_missing_route_is_a_usage_error_that_lists_the_routes()
    {
        var (exit, _, stderr) = CliRunner.Run("bench", "--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--synthetic", "isl=1,osl=1",
            "--concurrency", "1", "--out", CliRunner.TempFolder());
        Assert.Equal(2, exit);
        Assert.Contains("--route is required", stderr);
        Assert.Contains("Hosted open-weight serverless", stderr);
    }

    [Fact]
    public void An_unreachable_endpoint_exits_3_after_writing_its_connection_errors()
    {
        var dir = CliRunner.TempFolder();
        var (exit, _, stderr) = CliRunner.Run("bench", "--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--route", "owned",
            "--synthetic", "isl=1,osl=1", "--concurrency", "1", "--requests", "1", "--max-retries", "0", "--out", dir);
        Assert.Equal(3, exit);
        Assert.Contains("no attempt could connect", stderr);
        Assert.Contains("\"status\":\"error\"", File.ReadAllText(Path.Combine(dir, "events.jsonl")));
    }

    [Fact]
    public void Emulate_from_rows_with_an_unknown_workload_exits_1_and_says_so()
    {
        var rows = Path.Combine(CliRunner.TempFolder(), "rows.csv");
        File.Copy(CliRunner.Fixture("contract/template.csv"), rows);
        var (exit, _, stderr) = CliRunner.Run("emulate", "--from-rows", rows, "--route", "managed", "--workload", "no-such-workload", "--port", "0", "--run-for", "1s");
        Assert.Equal(1, exit);
        Assert.Contains("no rows for route 'Managed frontier API' and workload 'no-such-workload'", stderr);
    }
}

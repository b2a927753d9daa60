using System.Net;
using System.Text.Json.Nodes;

namespace InferCost.Studio.Tests;

/// <summary>Studio's Simulate page and <c>/api/simulate</c> use a measured route of the ledger, built by the same Core
/// code as <c>infercost simulate --service measured</c>, so both give the same figures for the same rows and seed.</summary>
public class SimulateMeasuredTests
{
    private const string Flags = "rate=2&service=measured&route=self-hosted&workload=support-policy&gpu=H100&requests=2000&replicas=3&seed=7";

    private static async Task<(StudioHost Host, HttpClient Client)> WithExampleTraces()
    {
        var host = new StudioHost();
        var client = host.CreateClient();
        var import = await StudioHost.ImportExampleTracesAsync(client);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        return (host, client);
    }

    [Fact]
    public async Task Api_measured_route_gives_the_CLI_figures_for_the_same_rows_and_seed()
    {
        var (host, client) = await WithExampleTraces();
        using var _ = host;
        var response = await client.GetAsync("/api/simulate?" + Flags);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var studio = JsonNode.Parse(text)!;

        var cli = StudioHost.Cli("simulate", "--rate", "2", "--service", "measured", "--route", "self-hosted", "--workload", "support-policy",
            "--gpu", "H100", "--requests", "2000", "--replicas", "3", "--seed", "7", "--ledger", host.LedgerPath, "--format", "json");
        Assert.True(cli.Exit == 0, cli.Err);
        var cliJson = JsonNode.Parse(cli.Out)!;

        // Independent of either program: the example self-hosted support-policy rows are measured at concurrency 16 and
        // 32, and fit needs 2 H100s for 32 Llama-3.1-70B fp8 sessions of 3,330 tokens (worked in CapacityModelTests).
        var service = studio["assumptions"]!["service"]!;
        Assert.Equal("measured", (string?)service["model"]);
        Assert.Equal([16L, 32L], service["traceRows"]!["concurrencies"]!.AsArray().Select(c => (long)c!).ToArray());
        Assert.Contains("at concurrency 16/32 from the rows and events of", (string?)service["source"]);
        Assert.Equal(2, (int)studio["assumptions"]!["replica"]!["gpusPerReplica"]!);
        Assert.StartsWith("fit: the fewest that hold Llama-3.1-70B", (string?)studio["assumptions"]!["replica"]!["gpusPerReplicaSource"]);
        Assert.Equal(32, (int)studio["assumptions"]!["maxConcurrencyPerReplica"]!);
        Assert.Equal(2 * 2.99, (double)studio["cost"]!["usdPerReplicaHour"]!, 9);

        // The same figures as the CLI (the schemas differ; the key fields agree).
        Assert.Equal((int)cliJson["assumptions"]!["replicas"]!, (int)studio["assumptions"]!["replicas"]!);
        Assert.Equal((int)cliJson["assumptions"]!["maxConcurrencyPerReplica"]!, (int)studio["assumptions"]!["maxConcurrencyPerReplica"]!);
        Assert.Equal((int)cliJson["assumptions"]!["replica"]!["gpusPerReplica"]!, (int)studio["assumptions"]!["replica"]!["gpusPerReplica"]!);
        Assert.Equal((double)cliJson["assumptions"]!["service"]!["outputTokensCv"]!, (double)service["outputTokensCv"]!, 12);
        foreach (var metric in new[] { "latencyP95Ms", "latencyP50Ms", "queueWaitP95Ms", "ttftP95Ms", "completed", "replicaHours" })
        {
            // The CLI rounds ms to 3 decimals and replica-hours to 6; Studio gives the full double.
            Assert.True(Math.Abs((double)cliJson["result"]![metric]! - (double)studio["result"]![metric]!) <= 1e-3,
                $"{metric}: CLI {cliJson["result"]![metric]}, Studio {studio["result"]![metric]}");
        }
        Assert.True((double)studio["result"]!["latencyP95Ms"]! > 0);
        Assert.Equal((double)cliJson["cost"]!["usdPerReplicaHour"]!, (double)studio["cost"]!["usdPerReplicaHour"]!, 9);
    }

    [Fact]
    public async Task A_workload_with_no_rows_on_the_route_answers_400_with_one_sentence_naming_it()
    {
        var (host, client) = await WithExampleTraces();
        using var _ = host;
        var response = await client.GetAsync("/api/simulate?rate=2&service=measured&route=self-hosted&workload=no-such-workload&gpu=H100&requests=100");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"];
        Assert.NotNull(detail);
        Assert.Contains("workload 'no-such-workload'", detail);
        Assert.Contains("Self-hosted GPU stack / llama-3.1-70b-instruct-fp8 / support-policy", detail);
        Assert.EndsWith(".", detail);
        Assert.DoesNotContain("\n", detail);
        Assert.DoesNotContain("Exception", detail);
    }

    [Fact]
    public async Task Page_offers_the_ledger_routes_and_workloads_and_states_the_service_source_and_gpus_per_replica()
    {
        var (host, client) = await WithExampleTraces();
        using var _ = host;
        var form = await client.GetStringAsync("/simulate");
        Assert.Contains("<select id=\"service\" name=\"service\">", form);
        Assert.Contains("<option>Self-hosted GPU stack</option>", form);
        Assert.Contains("<option>support-policy</option>", form);

        var page = await client.GetAsync("/simulate?" + Flags);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("<option selected>Self-hosted GPU stack</option>", html);
        Assert.Contains("<option selected>measured</option>", html);
        Assert.Contains("Service: measured, 2 point(s) at concurrency 16/32 from the rows and events of Self-hosted GPU stack", html);
        Assert.Contains("Replica: 2 GPU(s) per replica (fit: the fewest that hold Llama-3.1-70B", html);
    }
}

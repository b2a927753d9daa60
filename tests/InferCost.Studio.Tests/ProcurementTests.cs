using System.Net;
using System.Text.Json.Nodes;
using InferCost.Core.Kit;

namespace InferCost.Studio.Tests;

public class ProcurementTests
{
    [Fact]
    public async Task The_matrix_equals_what_infercost_procure_writes_for_the_same_ledger_and_profile()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await StudioHost.ImportExampleTracesAsync(client)).StatusCode);
        var profile = KitArtifacts.ExampleProfile();
        var profilePath = Path.Combine(host.Folder, "profile.yaml");
        File.WriteAllText(profilePath, profile);

        var form = new MultipartFormDataContent { { new StringContent(profile), "profile" } };
        var response = await client.PostAsync("/api/procure", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var api = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var folder = Path.Combine(host.Folder, "matrix");
        var cli = StudioHost.Cli("procure", "--ledger", host.LedgerPath, "--profile", profilePath, "--out", folder);
        Assert.True(cli.Exit == 0, cli.Err);
        var fromCli = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "hardware-procurement-matrix.json")))!;
        // The CLI records the profile path it was given; Studio the name "profile.yaml".
        Assert.Equal(fromCli.ToJsonString().Replace(profilePath, "profile.yaml", StringComparison.Ordinal), api.ToJsonString());
    }

    [Fact]
    public async Task A_broken_profile_is_422_with_its_line_and_a_demand_file_is_never_opened()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        await client.PostAsync("/api/import", StudioHost.Upload("template.csv", File.ReadAllText(StudioHost.Fixture("contract/template.csv"))));
        var broken = await client.PostAsync("/api/procure", new MultipartFormDataContent { { new StringContent("workloads:\n  - name: x\n    targetP95Ms: fast\n"), "profile" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        Assert.Contains("profile.yaml, line 3", await broken.Content.ReadAsStringAsync());

        var text = "workloads:\n  - name: support-policy\n    demandFile: /etc/passwd\n";
        var refused = await client.PostAsync("/api/procure", new MultipartFormDataContent { { new StringContent(text), "profile" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("reads no files a profile names", await refused.Content.ReadAsStringAsync());
    }
}

using InferCost.Cli;
using InferCost.Studio.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace InferCost.Studio.Tests;

/// <summary>One Studio app over its own temp ledger per test. <see cref="StudioSettings"/> names Studio's assembly
/// (whose entry point the factory runs); the CLI's own Program would make <c>Program</c> ambiguous here.</summary>
internal sealed class StudioHost : WebApplicationFactory<StudioSettings>
{
    private readonly Dictionary<string, string> _settings;

    public StudioHost(Dictionary<string, string>? settings = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "infercost-studio-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        LedgerPath = Path.Combine(Folder, "ledger.duckdb");
        _settings = settings ?? [];
        _settings["Studio:Ledger"] = LedgerPath;
    }

    public string Folder { get; }
    public string LedgerPath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "fixtures", relative);

    /// <summary>Runs the CLI in-process, as a user would from a terminal.</summary>
    public static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(args, output, error, CliEnvironment.ForTests());
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Imports the bundled example traces through Studio's own upload, as the capacity, procurement and
    /// simulation tests start from them.</summary>
    public static Task<HttpResponseMessage> ImportExampleTracesAsync(HttpClient client) =>
        client.PostAsync("/api/import", Upload("example-traces.csv", File.ReadAllText(Fixture("example-traces.csv"))));

    public static MultipartFormDataContent Upload(string fileName, string content, string? format = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content));
        form.Add(file, "file", fileName);
        if (format is not null)
        {
            form.Add(new StringContent(format), "format");
        }
        return form;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using InferCost.Studio;
using InferCost.Studio.Hosting;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost studio</c>: serves the Studio workbench over the ledger until Ctrl+C. Loopback by default;
/// any other address requires an access token (given with --token or generated, printed once).</summary>
internal static class StudioCommand
{
    /// <summary>Where Studio will listen and with which token; null <see cref="Problem"/> when the flags are usable.</summary>
    internal sealed record Plan(string Url, string? Token, string? Problem);

    public static Command Create(CommandContext context)
    {
        var ledger = LedgerOptions.Create();
        var port = NumberOptions.Whole("--port", "TCP port to listen on.", StudioSettings.DefaultPort, min: 1, max: 65535);
        var host = new Option<string>("--host") { Description = "Address to listen on; anything but loopback requires an access token.", DefaultValueFactory = _ => StudioSettings.DefaultHost };
        var token = new Option<string?>("--token") { Description = "Access token for a non-loopback --host (default: a random one, printed once)." };
        var command = new Command("studio",
            "Serve InferCost Studio, the local web workbench over the ledger: import traces, read the recommendation, change assumptions, download the report.\n" +
            "Example: infercost studio --ledger team.duckdb --port 5080")
        {
            ledger, port, host, token,
        };
        command.SetAction(parse =>
        {
            var plan = MakePlan(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(token));
            if (plan.Problem is not null)
            {
                context.Err.WriteLine(plan.Problem);
                return ExitCodes.Usage;
            }
            return Serve(plan, LedgerOptions.Resolve(parse.GetValue(ledger), context), parse.GetValue(host)!, context);
        });
        return command;
    }

    internal static Plan MakePlan(string host, int port, string? token)
    {
        if (port is < 1 or > 65535)
        {
            return new Plan(string.Empty, null, $"--port {port} must be between 1 and 65535.");
        }
        if (string.IsNullOrWhiteSpace(host) || host.Contains('/') || host.Contains(' '))
        {
            return new Plan(string.Empty, null, $"--host '{host}' is not an address or host name.");
        }
        var loopback = StudioSettings.IsLoopback(host);
        if (token is { Length: < 16 })
        {
            return new Plan(string.Empty, null, "--token must be at least 16 characters.");
        }
        var uriHost = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        var url = $"http://{uriHost}:{port}";
        return new Plan(url, loopback && token is null ? null : token ?? SecurityMiddleware.NewToken(), null);
    }

    private static int Serve(Plan plan, string ledgerPath, string host, CommandContext context)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Studio:Ledger"] = Path.GetFullPath(ledgerPath),
            ["Studio:Host"] = host,
            ["Studio:AccessToken"] = plan.Token,
        };
        WebApplication app;
        try
        {
            app = StudioApp.Create([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.WebHost.UseUrls(plan.Url);
            });
            app.Start();
        }
        catch (IOException ex)
        {
            context.Err.WriteLine($"Studio cannot listen on {plan.Url}: {ex.Message.TrimEnd('.')}. Pick another --port.");
            return ExitCodes.Environment;
        }
        context.Out.WriteLine(plan.Token is null
            ? $"InferCost Studio: {plan.Url}/ (ledger {ledgerPath}). Press Ctrl+C to stop."
            : $"InferCost Studio: {plan.Url}/?token={plan.Token} (ledger {ledgerPath}). The token is printed only now. Press Ctrl+C to stop.");
        context.Out.Flush();
        app.WaitForShutdown();
        return ExitCodes.Success;
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InferCost.Bench.Emulator;

/// <summary>An OpenAI-compatible server (<c>POST /v1/chat/completions</c>, <c>GET /v1/models</c>) that behaves
/// like the route in its <see cref="EmulatorProfile"/>. Kestrel on the given address; port 0 picks a free one.
/// Thread-safe; dispose to stop.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, Uri baseAddress, EmulatorHandler handler)
    {
        _app = app;
        BaseAddress = baseAddress;
        Handler = handler;
    }

    /// <summary>The root URL, e.g. <c>http://127.0.0.1:41234/</c>; the API lives under <c>v1/</c>.</summary>
    public Uri BaseAddress { get; }

    internal EmulatorHandler Handler { get; }

    /// <summary>Requests now being served (admitted past the queue).</summary>
    public int InService => Handler.InService;

    public static async Task<EmulatorServer> StartAsync(EmulatorProfile profile, IPAddress? address = null, int port = 0,
        TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        // The empty builder: no appsettings.json from the working directory and no watcher on it (the slim builder
        // watched the whole working tree, and woke for every line the bench wrote beside it), no host filtering.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MinResponseDataRate = null;
            options.Listen(address ?? IPAddress.Loopback, port);
        });
        var app = builder.Build();
        var handler = new EmulatorHandler(new EmulatorCore(profile), clock ?? TimeProvider.System);
        app.MapPost("/v1/chat/completions", handler.HandleAsync);
        app.MapGet("/v1/models", (HttpContext context) => context.Response.WriteAsync(
            "{\"object\":\"list\",\"data\":[{\"id\":\"emulator\",\"object\":\"model\",\"owned_by\":\"infercost\"}]}", cancellationToken));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, new Uri(bound.TrimEnd('/') + "/"), handler);
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires or the host is asked to stop (SIGTERM: the
    /// host's console lifetime takes that signal and only stops the application).</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

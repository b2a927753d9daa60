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
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(address ?? IPAddress.Loopback, port);
        });
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MinResponseDataRate = null);
        var app = builder.Build();
        var handler = new EmulatorHandler(new EmulatorCore(profile), clock ?? TimeProvider.System);
        app.MapPost("/v1/chat/completions", handler.HandleAsync);
        app.MapGet("/v1/models", (HttpContext context) => context.Response.WriteAsync(
            "{\"object\":\"list\",\"data\":[{\"id\":\"emulator\",\"object\":\"model\",\"owned_by\":\"infercost\"}]}", cancellationToken));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmulatorServer(app, new Uri(bound.TrimEnd('/') + "/"), handler);
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
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

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace InferCost.Studio.Hosting;

/// <summary>
/// What bounds Studio's memory under load, whatever the number of clients: at most <see cref="Connections"/> open
/// connections (Kestrel refuses more), at most <see cref="ConcurrentRequests"/> requests worked on at once, and at most
/// <see cref="QueuedRequests"/> waiting their turn (beyond that, 503 with a sentence). Each request in work holds one
/// rendered page or JSON answer; uploads above 64 KiB are buffered on disk, not in memory.
/// </summary>
public static class StudioLimits
{
    public const int Connections = 128;
    public const int ConcurrentRequests = 8;
    public const int QueuedRequests = 256;

    public static WebApplicationBuilder AddStudioLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxConcurrentConnections = Connections);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("studio",
                _ => new ConcurrencyLimiterOptions { PermitLimit = ConcurrentRequests, QueueLimit = QueuedRequests, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
            options.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            options.OnRejected = async (context, cancel) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    $"Studio is busy: {ConcurrentRequests} requests in work and {QueuedRequests} waiting; try again in a moment.", cancel);
            };
        });
        return builder;
    }
}

namespace InferCost.Studio.Endpoints;

/// <summary><c>GET /healthz</c>: the process is up. Says nothing about the ledger's content, so it needs no token.</summary>
public static class HealthEndpoints
{
    public sealed record Health(string Status);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok")))
            .WithName("Health").WithSummary("Liveness: answers {\"status\":\"ok\"} while Studio runs.");
        return app;
    }
}

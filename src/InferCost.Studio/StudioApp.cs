using Microsoft.AspNetCore.DataProtection;
using InferCost.Studio.Endpoints;
using InferCost.Studio.Hosting;

namespace InferCost.Studio;

/// <summary>Builds the Studio web app. Settings come from configuration (section <c>Studio</c>: Ledger, Host,
/// AccessToken, MaxUploadBytes), so the CLI, <c>dotnet run</c> and tests all configure it the same way.</summary>
public static class StudioApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        // Request lines would carry query strings (a first ?token= visit); keep the framework's chatter to warnings.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);

        builder.AddStudioLimits();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => StudioSettings.FromConfiguration(services.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<LedgerStore>();
        builder.Services.AddSingleton<StudioData>();
        // Antiforgery keys live in memory: a form from before a restart expires (the page says to reload), and Studio
        // writes no key files under the user's home (~/.aspnet) nor shares them between instances.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAntiforgery();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        var app = builder.Build();

        app.UseStatusCodePages();
        app.UseExceptionHandler(errors => errors.Run(LedgerErrors.Write));
        app.UseStudioSecurity();
        app.UseRateLimiter(); // after the security headers and the token check, so a refusal carries the headers
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapHealth();
        app.MapAssets();
        app.MapOverview();
        app.MapImport();
        app.MapWorkloads();
        app.MapCurves();
        app.MapMetrics();
        app.MapReports();
        app.MapFit();
        app.MapSimulate();
        app.MapProcurement();
        return app;
    }
}

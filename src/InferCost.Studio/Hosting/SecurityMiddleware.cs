using System.Security.Cryptography;
using System.Text;

namespace InferCost.Studio.Hosting;

/// <summary>
/// Request guards, in order: security headers on every answer; on a loopback listener, loopback Host names only
/// (DNS rebinding); the access token when one is set (header
/// <c>Authorization: Bearer</c>, the cookie a first <c>?token=</c> visit sets, never logged); and refusal of
/// state-changing API calls that a browser sends from another site (forms carry antiforgery tokens instead).
/// </summary>
public static class SecurityMiddleware
{
    public const string TokenCookie = "infercost_studio_token";

    public static IApplicationBuilder UseStudioSecurity(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Set as the headers go out, so that every answer has them: the exception handler clears the response's
        // headers before it writes its 500, and anything set before that would be lost.
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            // SVG charts are inline markup, not resources; scripts and styles come only from /assets.
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        }, context.Response);

        var settings = context.RequestServices.GetRequiredService<StudioSettings>();
        if (StudioSettings.IsLoopback(settings.Host) && !IsLoopbackName(context.Request.Host))
        {
            // DNS rebinding: a page on another site points its own name at 127.0.0.1. Refused here, after the
            // headers above, rather than by the framework's host filter, whose 400 would go out without them.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Refused: Studio listens on loopback and answers only to the names localhost, 127.0.0.1 and [::1].");
            return;
        }
        if (settings.AccessToken is { } token && context.Request.Path != "/healthz")
        {
            if (context.Request.Query["token"].ToString() is { Length: > 0 } fromQuery && Matches(fromQuery, token))
            {
                // Trade the token in the address bar for an HttpOnly cookie, then drop it from the URL.
                context.Response.Cookies.Append(TokenCookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                context.Response.Redirect(LocalPath(context.Request.Path));
                return;
            }
            var bearer = context.Request.Headers.Authorization.ToString();
            var given = bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? bearer["Bearer ".Length..] : context.Request.Cookies[TokenCookie];
            if (given is null || !Matches(given, token))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Studio needs its access token: open the address infercost studio printed (it ends in ?token=…), or send Authorization: Bearer TOKEN.");
                return;
            }
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && IsCrossSite(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Refused: a page from another site tried to change Studio's ledger.");
            return;
        }
        await next(context);
    });

    /// <summary>The request's path as a redirect target that stays on this site: escaped (so the header is ASCII) and
    /// with one leading slash, since "//host/" and "/\host" are addresses of another site to a browser.</summary>
    internal static string LocalPath(PathString path) => "/" + path.ToUriComponent().TrimStart('/', '\\');

    /// <summary>True for the Host names of a loopback listener; an empty Host (HTTP/1.0) is no browser's and passes.</summary>
    internal static bool IsLoopbackName(HostString host) =>
        !host.HasValue || StudioSettings.IsLoopback(host.Host);

    /// <summary>True when a browser says the request comes from another origin (Fetch Metadata or Origin).
    /// Scripts such as curl send neither header and pass.</summary>
    internal static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            return true;
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || origin == "null" && site is "same-origin" or "none")
        {
            return false;
        }
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri) ||
               !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>A fresh random token: 32 bytes, URL-safe base64.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

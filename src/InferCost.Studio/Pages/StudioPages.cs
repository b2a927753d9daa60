using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Pages;

internal static class StudioPages
{
    public static ContentHttpResult Html(string html) => TypedResults.Content(html, "text/html; charset=utf-8");
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Problem answers several endpoints share, worded as the CLI words them.</summary>
internal static class StudioProblems
{
    public static ProblemHttpResult EmptyLedger(string path) =>
        TypedResults.Problem($"The ledger {path} holds no rows; import traces first (the Import page or POST /api/import).", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Rows without costUsd whose provider/model the built-in price catalog does not price (the CLI's exit 1).</summary>
    public static ProblemHttpResult Unpriced(IReadOnlyList<string> missing) =>
        TypedResults.Problem(string.Join(" ", missing), statusCode: StatusCodes.Status422UnprocessableEntity, title: "Some costs cannot be modeled");

    public static string UnpricedHtml(IReadOnlyList<string> missing) =>
        string.Concat(missing.Select(m => Pages.Html.Notice("error", m)));
}

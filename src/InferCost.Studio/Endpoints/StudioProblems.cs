using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Problem answers several endpoints share, worded as the CLI words them.</summary>
internal static class StudioProblems
{
    public static ProblemHttpResult EmptyLedger(string path) =>
        TypedResults.Problem($"The ledger {path} holds no rows; import traces first (the Import page or POST /api/import).", statusCode: StatusCodes.Status404NotFound);
}

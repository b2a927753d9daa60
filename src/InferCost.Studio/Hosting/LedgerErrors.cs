using InferCost.Ledger;
using Microsoft.AspNetCore.Diagnostics;

namespace InferCost.Studio.Hosting;

/// <summary>Turns a ledger that cannot be opened (locked by an import in another process, foreign, too new) into
/// one sentence with 503, and anything else into a plain 500 without internals.</summary>
internal static class LedgerErrors
{
    public static async Task Write(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, message) = error is LedgerException ledger
            ? (StatusCodes.Status503ServiceUnavailable, ledger.Message)
            : (StatusCodes.Status500InternalServerError, "Studio hit an internal error; the ledger was not changed by it. Details are in the Studio console.");
        context.Response.StatusCode = status;
        await TypedResults.Problem(message, statusCode: status).ExecuteAsync(context);
    }
}

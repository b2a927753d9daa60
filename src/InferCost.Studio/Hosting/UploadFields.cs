using System.Globalization;
using InferCost.Core.Importers;
using InferCost.Core.Reading;

namespace InferCost.Studio.Hosting;

/// <summary>The upload form's fields besides the file: <c>format</c> and the fill-ins <c>route</c>, <c>workload</c>,
/// <c>provider</c>, <c>model</c> and <c>concurrency</c> (the CLI's <c>--format</c>, <c>--route</c>, … flags).</summary>
public static class UploadFields
{
    /// <summary>The form fields that carry fill-ins, in the order the page shows them.</summary>
    public static IReadOnlyList<string> FillInNames { get; } = ["route", "workload", "provider", "model", "concurrency"];

    /// <summary>The named import format ("auto" when empty). Studio's earlier names csv, json and jsonl still work:
    /// contract rows in that text form.</summary>
    public static (string Named, TraceFormat? Text, UploadProblem? Problem) Format(IFormCollection form)
    {
        var name = form["format"].ToString().Trim();
        if (name.Length == 0)
        {
            return (ImportFormats.Auto, null, null);
        }
        if (ImportFormats.IsKnown(name))
        {
            return (name, null, null);
        }
        if (TraceFormats.TryParse(name, out var text))
        {
            return (ImportFormats.Contract, text, null);
        }
        var shown = name.Length > 40 ? name[..40] + "…" : name;
        return (ImportFormats.Auto, null, new UploadProblem(StatusCodes.Status400BadRequest,
            $"format '{shown}' is not supported; use one of: {string.Join(", ", ImportFormats.Names)}."));
    }

    /// <summary>The fill-ins; blank fields are absent. Concurrency must be a whole number of at least 1.</summary>
    public static (FillIns FillIns, UploadProblem? Problem) FillIns(IFormCollection form)
    {
        string? Text(string field) => form[field].ToString().Trim() is { Length: > 0 } value ? value : null;
        long? concurrency = null;
        if (Text("concurrency") is { } raw)
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                var shown = raw.Length > 40 ? raw[..40] + "…" : raw;
                return (new FillIns(), new UploadProblem(StatusCodes.Status400BadRequest, $"concurrency '{shown}' must be a whole number of at least 1."));
            }
            concurrency = parsed;
        }
        return (new FillIns(Text("route"), Text("workload"), Text("provider"), Text("model"), concurrency), null);
    }
}

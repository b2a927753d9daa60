using System.Globalization;
using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>Invariant parsing of text fields for the importers; null when absent or unparseable.</summary>
internal static class Parse
{
    public static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    public static long? Count(string? text) => Number(text) is { } v ? (long)Math.Round(v) : null;

    public static decimal? Money(string? text) =>
        text is not null && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Math.Round(v, 9) : null;

    /// <summary>ISO 8601, or seconds/ms/µs/ns since the epoch by magnitude.</summary>
    public static DateTimeOffset? Time(string? text)
    {
        if (text is null)
        {
            return null;
        }
        if (Number(text) is { } epoch)
        {
            return JsonRecords.FromEpoch(epoch);
        }
        return EventTime.Parse(text, out var at) is null ? at : null;
    }
}

using System.Globalization;

namespace InferCost.Core.Formatting;

/// <summary>Every number a renderer prints goes through here: invariant culture, fixed precision per unit.</summary>
public static class Fmt
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Usd(decimal? value) => value is { } v ? "$" + v.ToString(v < 0.01m ? "0.######" : "0.####", C) : "—";
    public static string Ms(double? value) => value is { } v ? v.ToString("#,0", C) + " ms" : "—";
    public static string Share(double? value) => value is { } v ? (v * 100).ToString("0.#", C) + "%" : "—";
    public static string Number(double? value, string format = "#,0.#") => value is { } v ? v.ToString(format, C) : "—";
    public static string Integer(long? value) => value is { } v ? v.ToString("#,0", C) : "—";

    /// <summary>Raw invariant text for machine-readable output (CSV): shortest round-trip, empty when null.</summary>
    public static string Raw(double? value) => value?.ToString("R", C) ?? string.Empty;
    public static string Raw(decimal? value) => value?.ToString(C) ?? string.Empty;
    public static string Raw(long? value) => value?.ToString(C) ?? string.Empty;
}

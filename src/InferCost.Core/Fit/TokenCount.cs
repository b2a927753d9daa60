using System.Globalization;

namespace InferCost.Core.Fit;

/// <summary>Parses a token count as people write it: digits, optionally with a k suffix meaning ×1024 (128k = 131072).</summary>
public static class TokenCount
{
    public static bool TryParse(string text, out long tokens)
    {
        var multiplier = 1L;
        var digits = text.Trim();
        if (digits.EndsWith('k') || digits.EndsWith('K'))
        {
            multiplier = 1024;
            digits = digits[..^1];
        }
        var ok = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= long.MaxValue / 1024;
        tokens = ok ? number * multiplier : 0;
        return ok;
    }
}

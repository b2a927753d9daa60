namespace InferCost.Core.Metrics;

/// <summary>The Wilson score interval for a proportion: well-behaved near 0 and 1 and for small n.</summary>
public static class Wilson
{
    /// <summary>The 97.5th percentile of the standard normal, for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static (double Low, double High) Interval(double proportion, double n, double z = Z95)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "the sample size must be positive");
        }
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var center = (proportion + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(proportion * (1 - proportion) / n + z2 / (4 * n * n));
        return (Math.Max(0, center - half), Math.Min(1, center + half));
    }
}

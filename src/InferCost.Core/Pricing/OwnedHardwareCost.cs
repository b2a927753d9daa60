using System.Globalization;

namespace InferCost.Core.Pricing;

/// <summary>The hourly cost of one owned GPU: amortised capital (capital recovery factor over its life, less the
/// present value of its residual) + operations per year, spread over 8,760 hours, + power at full board power
/// × PUE. Pure.</summary>
public static class OwnedHardwareCost
{
    public const decimal HoursPerYear = 8760m;

    /// <summary>CRF = r(1+r)^n / ((1+r)^n − 1); 1/n when r = 0. Turns a present cost into n equal yearly payments.</summary>
    public static decimal CapitalRecoveryFactor(decimal rate, int years)
    {
        if (years < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(years), years, "the life must be at least one year");
        }
        if (rate == 0)
        {
            return 1m / years;
        }
        var growth = Pow(1 + rate, years);
        return rate * growth / (growth - 1);
    }

    /// <summary>Yearly capital cost: (capex − residual ÷ (1+r)^n) × CRF.</summary>
    public static decimal AnnualCapitalUsd(OwnedHardware h)
    {
        var residual = h.CapexUsdPerGpu * h.ResidualValueShare;
        return (h.CapexUsdPerGpu - residual / Pow(1 + h.CostOfCapital, h.LifeYears)) * CapitalRecoveryFactor(h.CostOfCapital, h.LifeYears);
    }

    /// <summary>Power per hour: board watts / 1000 × PUE × USD per kWh (the GPU is assumed at full board power).</summary>
    public static decimal PowerUsdPerHour(OwnedHardware h, int boardPowerW) => boardPowerW / 1000m * h.Pue * h.PowerUsdPerKwh;

    public static decimal UsdPerGpuHour(OwnedHardware h, int boardPowerW) =>
        (AnnualCapitalUsd(h) + h.OperationsUsdPerGpuYear) / HoursPerYear + PowerUsdPerHour(h, boardPowerW);

    /// <summary>Where <see cref="UsdPerGpuHour"/> comes from, with every assumption and the entry's date and source.</summary>
    public static string Describe(OwnedHardware h, int boardPowerW)
    {
        var c = CultureInfo.InvariantCulture;
        return $"owned {h.GpuType} ({h.Basis}): capex ${h.CapexUsdPerGpu.ToString("#,0", c)} over {h.LifeYears} years at {h.CostOfCapital.ToString(c)} cost of capital, residual {h.ResidualValueShare.ToString(c)}; "
            + $"{boardPowerW} W × PUE {h.Pue.ToString(c)} × ${h.PowerUsdPerKwh.ToString(c)}/kWh; operations ${h.OperationsUsdPerGpuYear.ToString("#,0", c)}/GPU-year ({h.Provenance.Citation})";
    }

    private static decimal Pow(decimal value, int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= value;
        }
        return result;
    }
}

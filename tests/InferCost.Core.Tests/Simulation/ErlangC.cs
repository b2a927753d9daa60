namespace InferCost.Core.Tests.Simulation;

/// <summary>Exact M/M/c results from the Erlang C formula, the reference the simulator is checked against.</summary>
internal static class ErlangC
{
    /// <summary>Probability that an arrival waits: Erlang B by the stable recurrence
    /// B_k = a·B_{k−1} / (k + a·B_{k−1}), then C = B_c / (1 − ρ(1 − B_c)).</summary>
    public static double WaitProbability(double arrivalRatePerSecond, double meanServiceSeconds, int servers)
    {
        var a = arrivalRatePerSecond * meanServiceSeconds;
        var b = 1.0;
        for (var k = 1; k <= servers; k++)
        {
            b = a * b / (k + a * b);
        }
        var rho = a / servers;
        return b / (1 - rho * (1 - b));
    }

    /// <summary>The rate of the exponential tail of the wait, cμ − λ, per second: P(W &gt; t) = C·e^{−(cμ−λ)t}.</summary>
    private static double TailRate(double arrivalRatePerSecond, double meanServiceSeconds, int servers) =>
        servers / meanServiceSeconds - arrivalRatePerSecond;

    public static double MeanWaitMs(double lambda, double meanServiceSeconds, int servers) =>
        WaitProbability(lambda, meanServiceSeconds, servers) / TailRate(lambda, meanServiceSeconds, servers) * 1000.0;

    /// <summary>The q-quantile of the wait: 0 when C ≤ 1 − q, else ln(C / (1 − q)) / (cμ − λ).</summary>
    public static double WaitQuantileMs(double lambda, double meanServiceSeconds, int servers, double q)
    {
        var c = WaitProbability(lambda, meanServiceSeconds, servers);
        return c <= 1 - q ? 0.0 : Math.Log(c / (1 - q)) / TailRate(lambda, meanServiceSeconds, servers) * 1000.0;
    }
}

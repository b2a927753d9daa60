using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InferCost.Core.Events;

namespace InferCost.Core.Tests.Events;

public sealed class PercentileProperties
{
    /// <summary>Hyndman–Fan type 7 written independently: 1-based rank r = 1 + (n − 1)q, then interpolate between
    /// the neighbours of r (what numpy's "linear" and R's default compute).</summary>
    private static double Type7(double[] values, double q)
    {
        var x = values.OrderBy(v => v).ToArray();
        var r = 1 + (x.Length - 1) * q;
        var k = (int)Math.Floor(r);
        var d = r - k;
        return k >= x.Length ? x[^1] : x[k - 1] * (1 - d) + x[k] * d;
    }

    private static Gen<double[]> Samples => Gen.Choose(0, 2_000_000).Select(i => i / 16.0).ArrayOf().Where(a => a.Length > 0);

    [Property(MaxTest = 300)]
    public Property Linear_percentile_equals_sort_and_interpolate() =>
        Prop.ForAll(Samples.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (values, permille) =>
        {
            var q = permille / 1000.0;
            var expected = Type7(values, q);
            var actual = LinearPercentile.Of(values.Order().ToArray(), q);
            return Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected));
        });

    [Property(MaxTest = 200)]
    public Property Rollup_p50_p95_p99_equal_sort_and_interpolate_over_successes() =>
        Prop.ForAll(Samples.ToArbitrary(), Gen.Choose(0, 7).ArrayOf().ToArbitrary(), (latencies, failureFlags) =>
        {
            var events = latencies.Select((l, i) => RollupTests.E($"r{i}", i, l,
                i < failureFlags.Length && failureFlags[i] == 0 ? EventStatus.Error : EventStatus.Ok)).ToList();
            var successes = events.Where(e => e.Status == EventStatus.Ok).Select(e => e.LatencyMs).ToArray();
            var row = EventRollup.Rollup(events).Single();
            if (successes.Length == 0)
            {
                return row.LatencyP95Ms is null;
            }
            bool Near(double? a, double b) => a is { } v && Math.Abs(v - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
            return Near(row.LatencyP50Ms, Type7(successes, 0.5)) && Near(row.LatencyP95Ms, Type7(successes, 0.95)) &&
                   Near(row.LatencyP99Ms, Type7(successes, 0.99));
        });
}

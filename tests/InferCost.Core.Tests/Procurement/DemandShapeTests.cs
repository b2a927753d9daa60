using InferCost.Core.Diagnostics;
using InferCost.Core.Procurement;

namespace InferCost.Core.Tests.Procurement;

public class DemandShapeTests
{
    private static DemandClassification Classify(double[] counts, double? batchable = null) =>
        DemandShapeClassifier.Classify(new HourlyDemand(counts, "test"), batchable, "test");

    [Fact]
    public void A_flat_day_is_steady()
    {
        var shape = Classify(Enumerable.Repeat(100.0, 24).ToArray());
        Assert.Equal(DemandClass.Steady, shape.Class);
        Assert.Equal(1.0, shape.PeakToMeanRatio, 12);
        Assert.Equal(0, shape.CoefficientOfVariation, 12);
        Assert.Equal(0, shape.IdleHours);
    }

    [Fact]
    public void Eight_busy_hours_and_sixteen_idle_are_bursty()
    {
        var shape = Classify(Enumerable.Range(0, 24).Select(h => h < 8 ? 30.0 : 0.0).ToArray());
        Assert.Equal(DemandClass.Bursty, shape.Class);
        // mean 10, peak 30: ratio 3; CV = sqrt((8·20² + 16·10²)/24)/10 = sqrt(200)/10
        Assert.Equal(3.0, shape.PeakToMeanRatio, 12);
        Assert.Equal(Math.Sqrt(200) / 10, shape.CoefficientOfVariation, 12);
        Assert.Equal(16, shape.IdleHours);
    }

    [Fact]
    public void A_daily_peak_of_twice_the_mean_is_interactive()
    {
        // 12 hours at 150, 12 at 50: mean 100, peak 150 (ratio 1.5 is steady's bound), so push the peak to 200 for one hour.
        var counts = Enumerable.Range(0, 24).Select(h => h < 12 ? 100.0 : 80.0).ToArray();
        counts[12] = 200;
        var shape = Classify(counts);
        Assert.Equal(DemandClass.Interactive, shape.Class);
        Assert.Equal(200 / counts.Average(), shape.PeakToMeanRatio, 12);
    }

    [Fact]
    public void Mostly_batchable_work_is_offline_whatever_its_shape()
    {
        Assert.Equal(DemandClass.Offline, Classify(Enumerable.Repeat(100.0, 24).ToArray(), batchable: 0.5).Class);
        Assert.Equal(DemandClass.Steady, Classify(Enumerable.Repeat(100.0, 24).ToArray(), batchable: 0.49).Class);
    }

    [Fact]
    public void A_demand_file_reads_counts_or_hour_count_pairs_with_line_numbered_errors()
    {
        var good = HourlyDemand.Read(new StringReader("hour,requests\n" + string.Join("\n", Enumerable.Range(0, 24).Select(h => $"{h},{h * 10}"))), "d.csv", new DiagnosticBag());
        Assert.Equal(230, good!.RequestsPerHour[23]);

        var bag = new DiagnosticBag();
        var bad = HourlyDemand.Read(new StringReader("1\n2\n1,800\nx\n"), "d.csv", bag);
        Assert.Null(bad);
        Assert.Contains(bag.Errors, e => e.Line == 3);
        Assert.Contains(bag.Errors, e => e.Line == 4 && e.Value == "x");
        Assert.Contains(bag.Errors, e => e.Message.Contains("needs 24", StringComparison.Ordinal));
    }
}

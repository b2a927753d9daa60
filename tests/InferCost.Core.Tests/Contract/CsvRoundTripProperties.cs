using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using InferCost.Core.Contract;
using InferCost.Core.Reading;
using InferCost.Core.Writing;

namespace InferCost.Core.Tests.Contract;

public class CsvRoundTripProperties
{
    private static Gen<string> Text =>
        Gen.Elements("a", "b,c", "quote\"d", "line\nbreak", " edge ", "ünï", "x", "Together AI").ListOf().Select(parts => string.Concat(parts).Trim() is { Length: > 0 } t ? t : "t");

    private static Gen<double> NonNegative => Gen.Choose(0, 1_000_000).Select(i => i / 8.0);
    private static Gen<double> Rate => Gen.Choose(0, 1000).Select(i => i / 1000.0);

    private static Gen<TraceRow> Rows =>
        from route in Gen.Elements(Routes.All.ToArray())
        from provider in Text
        from model in Text
        from workload in Text
        from input in NonNegative
        from output in NonNegative
        from cache in Rate
        from batch in Gen.Elements(true, false)
        from concurrency in Gen.Choose(1, 512)
        from latencies in Gen.Choose(0, 100_000).ArrayOf(3)
        from tps in NonNegative
        from acceptance in Rate
        from cost in Gen.Choose(0, 1_000_000).Select(c => c % 7 == 0 ? (decimal?)null : c / 10_000m)
        from review in NonNegative
        let sorted = latencies.Order().ToArray()
        select new TraceRow
        {
            Route = route, Provider = provider, Model = model, Workload = workload, InputTokens = input, OutputTokens = output,
            CacheHitRate = cache, BatchEligible = batch, Concurrency = concurrency, TtftMs = sorted[0], LatencyP50Ms = sorted[1],
            LatencyP95Ms = sorted[2], OutputTokensPerSecond = tps, AcceptedOutputRate = acceptance, CostUsd = cost, ReviewMinutes = review,
        };

    [Property(MaxTest = 200)]
    public Property Any_row_written_by_the_template_writer_reads_back_equal() =>
        Prop.ForAll(Rows.ListOf().Where(l => l.Count > 0).ToArbitrary(), (List<TraceRow> rows) =>
        {
            var writer = new StringWriter();
            TraceCsvWriter.Write(writer, rows);
            var (result, read) = Fixtures.ReadText(writer.ToString());
            return result.IsValid && read.SequenceEqual(rows);
        });
}

using System.Diagnostics;
using InferCost.Core.Events;
using InferCost.Core.Reading;

// Splits the import cost: parsing and validating events alone (no ledger), and the in-memory reference rollup.
// Usage: EventBench FILE [--rollup]
var path = args[0];
var format = path.EndsWith(".csv", StringComparison.Ordinal) ? TraceFormat.Csv : TraceFormat.Jsonl;
var keep = args.Contains("--rollup");
var events = new List<RequestEvent>();
var watch = Stopwatch.StartNew();
long count = 0;
using (var stream = File.OpenRead(path))
{
    var result = EventReader.Read(stream, path, format, (e, _) =>
    {
        count++;
        if (keep)
        {
            events.Add(e);
        }
    });
    if (!result.IsValid)
    {
        Console.Error.WriteLine(result.Diagnostics.Errors[0].ToSentence(path));
        return 1;
    }
}
var read = watch.Elapsed.TotalSeconds;
Console.WriteLine($"read+validate {count} events: {read:0.00} s, {count / read:0} events/s");
if (keep)
{
    watch.Restart();
    var rows = EventRollup.Rollup(events);
    Console.WriteLine($"reference rollup into {rows.Count} rows: {watch.Elapsed.TotalSeconds:0.00} s");
}
return 0;

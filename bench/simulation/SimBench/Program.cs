using System.Diagnostics;
using System.Globalization;
using InferCost.Core.Simulation;

// M/M/c benchmark of the issue: λ = 8/s, exponential service with mean 1,000 ms, 10 replicas of one slot.
// Usage: SimBench [requests=10000000] [runs=5] [seed=1]
// Prints one line per run and a median line: simulated requests per second of wall time, on one thread.
var requests = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var seed = args.Length > 2 ? ulong.Parse(args[2], CultureInfo.InvariantCulture) : 1UL;

var config = new SimulationConfig
{
    Arrivals = new RenewalArrivals(8.0),
    Service = new ExponentialService(1000.0),
    Replicas = 10,
    Length = RunLength.OfRequests(requests),
    Warmup = Warmup.OfFraction(0.1),
    Seed = seed,
};

// Warm the JIT on a short run so tiering does not count against the first measured run.
Simulator.Run(config with { Length = RunLength.OfRequests(200_000) });

var rates = new List<double>();
for (var i = 0; i < runs; i++)
{
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    var result = Simulator.Run(config with { Seed = seed + (ulong)i });
    watch.Stop();
    var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - before) / 1048576.0;
    var rate = requests / watch.Elapsed.TotalSeconds;
    rates.Add(rate);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"run {i + 1}: {requests} requests in {watch.Elapsed.TotalSeconds:F3} s = {rate:F0} simulated requests/s; " +
        $"waitProbability {result.WaitProbability:F5}, queueWaitMeanMs {result.QueueWaitMeanMs:F2}, " +
        $"queueWaitP95Ms {result.QueueWaitP95Ms:F2}, queueWaitP99Ms {result.QueueWaitP99Ms:F2}, " +
        $"percentiles {result.PercentileMethod}, allocated {allocatedMb:F1} MB"));
}
rates.Sort();
var median = rates.Count % 2 == 1 ? rates[rates.Count / 2] : (rates[rates.Count / 2 - 1] + rates[rates.Count / 2]) / 2;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"csharp median: {median:F0} simulated requests/s ({runs} runs of {requests} requests)"));

using System.Globalization;
using InferCost.Core.Kit;

namespace InferCost.Cli.Tests.Fuzz;

/// <summary>
/// Every reader against a fixed, seeded corpus of damaged inputs (see <see cref="Mutator"/>): whatever the damage,
/// the command ends within 10 s with exit 0, 1, 2 or 3 and no internal error or stack trace, and an import that
/// fails leaves the ledger byte for byte as it was. Longer runs by hand:
/// <c>INFERCOST_FUZZ_ITERATIONS=200 INFERCOST_FUZZ_SEED=7 dotnet test tests/InferCost.Cli.Tests --filter FullyQualifiedName~Fuzz</c>
/// (iterations per target; the seed changes the whole corpus).
/// </summary>
public class FuzzTests
{
    /// <summary>Mutations per target in CI: every kind once, in an order and with details fixed by the seed.</summary>
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("INFERCOST_FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : Mutator.Kinds.Length;

    private static int CorpusSeed => int.TryParse(Environment.GetEnvironmentVariable("INFERCOST_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 19;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Targets() => [.. FuzzTargets.All().Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Damaged_input_never_crashes_hangs_or_changes_the_ledger(string name)
    {
        var target = FuzzTargets.All().Single(t => t.Name == name);
        var folder = CliRunner.TempFolder();
        var traces = Path.Combine(folder, "example-traces.csv");
        File.WriteAllText(traces, ExampleTraces.Csv());
        // A ledger with one import already in it: what every failed import must leave exactly as it is.
        var baseline = Path.Combine(folder, "baseline.duckdb");
        Assert.Equal(0, CliRunner.Run("import", CliRunner.Fixture("contract/template.csv"), "--ledger", baseline).Exit);
        var ledger = Path.Combine(folder, "ledger.duckdb");
        var before = File.ReadAllBytes(baseline);
        var problems = new List<string>();

        // The seed itself must pass, or the mutations would only ever test the first error.
        var seedRun = Run(target, target.Seed, folder, traces, ledger, before, "seed");
        Assert.True(seedRun.Exit == target.SeedExit, $"{name}: the unmutated seed exits {seedRun.Exit}: {seedRun.Err}");

        for (var i = 0; i < Iterations; i++)
        {
            var random = new Random(HashCode.Combine(CorpusSeed, StableHash(name), i));
            var kind = Iterations == Mutator.Kinds.Length ? Mutator.Kinds[i] : Mutator.Kinds[random.Next(Mutator.Kinds.Length)];
            var input = Mutator.Apply(target.Seed, kind, random);
            var label = $"{name} #{i} {kind} (seed {CorpusSeed})";
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (exit, err, problem) = Run(target, input, folder, traces, ledger, before, label);
            if (Environment.GetEnvironmentVariable("INFERCOST_FUZZ_LOG") is { Length: > 0 } log)
            {
                File.AppendAllText(log, FormattableString.Invariant($"{label}\t{exit}\t{watch.ElapsedMilliseconds} ms\t{FirstLine(err)}\n"));
            }
            if (problem is not null || exit is not (0 or 1 or 2 or 3) || err.Contains("internal error", StringComparison.Ordinal))
            {
                // Kept for reproducing by hand: the failure names the file.
                var kept = Path.Combine(folder, $"failed-{i}-{target.FileName}");
                File.WriteAllBytes(kept, input);
                label += $" [input kept at {kept}]";
            }
            if (problem is not null)
            {
                problems.Add(problem + $" [input kept at {Path.Combine(folder, $"failed-{i}-{target.FileName}")}]");
            }
            else if (exit is not (0 or 1 or 2 or 3))
            {
                problems.Add($"{label}: exit {exit}: {FirstLine(err)}");
            }
            else if (err.Contains("internal error", StringComparison.Ordinal) || err.Contains("\n   at ", StringComparison.Ordinal))
            {
                problems.Add($"{label}: exit {exit}, unhandled: {FirstLine(err)}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Runs the target's command on <paramref name="input"/> in-process, within <see cref="Limit"/>; for an
    /// import, checks that a failed one left the ledger unchanged (and puts the baseline back after a successful one).</summary>
    private static (int Exit, string Err, string? Problem) Run(FuzzTarget target, byte[] input, string folder, string traces, string ledger, byte[] baseline, string label)
    {
        var file = Path.Combine(folder, target.FileName);
        File.WriteAllBytes(file, input);
        File.WriteAllBytes(ledger, baseline);
        var output = Path.Combine(folder, "out");
        var args = target.Command.Select(a => a.Replace("{file}", file, StringComparison.Ordinal).Replace("{ledger}", ledger, StringComparison.Ordinal)
            .Replace("{traces}", traces, StringComparison.Ordinal).Replace("{out}", output, StringComparison.Ordinal)).ToArray();
        (int Exit, string Out, string Err) result = (-1, string.Empty, string.Empty);
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = CliRunner.Run(args);
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }, maxStackSize: 16 << 20) { IsBackground = true };
        thread.Start();
        if (!thread.Join(Limit))
        {
            return (-1, string.Empty, $"{label}: still running after {Limit.TotalSeconds} s");
        }
        if (thrown is not null)
        {
            return (-1, string.Empty, $"{label}: {thrown.GetType().Name} escaped CliApp: {FirstLine(thrown.Message)}");
        }
        if (target.Imports && result.Exit != 0 && !File.ReadAllBytes(ledger).AsSpan().SequenceEqual(baseline))
        {
            return (result.Exit, result.Err, $"{label}: exit {result.Exit}, and the ledger changed: {FirstLine(result.Err)}");
        }
        var leftovers = Directory.GetFiles(folder, ".ledger.duckdb.*").Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).ToList();
        if (leftovers.Count > 0)
        {
            return (result.Exit, result.Err, $"{label}: left {string.Join(", ", leftovers.Select(Path.GetFileName))}");
        }
        return (result.Exit, result.Err, null);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.Length > 0) ?? string.Empty;
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    /// <summary>string.GetHashCode differs per process; the corpus must not.</summary>
    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }
    }
}

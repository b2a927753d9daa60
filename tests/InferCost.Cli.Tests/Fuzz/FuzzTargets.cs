using System.Text;
using InferCost.Core.Kit;

namespace InferCost.Cli.Tests.Fuzz;

/// <summary>One reader under fuzz: a valid seed file, and the command that reads it (the file's path substituted for
/// <c>{file}</c>, the ledger's for <c>{ledger}</c>, a fresh output folder for <c>{out}</c>).</summary>
public sealed record FuzzTarget(string Name, string FileName, byte[] Seed, string[] Command, int SeedExit = 0)
{
    public bool Imports => Command[0] == "import";
}

/// <summary>Every reader of a user's file: contract rows (CSV, JSON, JSON Lines), request events (CSV, JSON Lines),
/// every importer's format, the buyer profile (YAML), the mapping (JSON), a GGUF header and a Hugging Face config.</summary>
public static class FuzzTargets
{
    private static readonly string[] Import = ["import", "{file}", "--ledger", "{ledger}"];

    private static readonly HashSet<string> Refused = new(StringComparer.Ordinal)
    {
        "result-summary.json", "result-all-failed.json", "profile_export_aiperf.json", "profile_export_aiperf-previous.json",
    };

    public static IReadOnlyList<FuzzTarget> All()
    {
        byte[] Fixture(string relative) => File.ReadAllBytes(CliRunner.Fixture(relative));
        var importerFills = new[] { "--route", "self-hosted", "--workload", "support", "--provider", "vllm", "--model", "llama-3.1-8b", "--concurrency", "4" };
        var targets = new List<FuzzTarget>
        {
            new("contract-csv", "traces.csv", Fixture("contract/template.csv"), Import),
            new("contract-json", "traces.json", Fixture("contract/template.json"), Import),
            new("contract-jsonl", "traces.jsonl", Fixture("contract/template.jsonl"), Import),
            new("events-csv", "events.csv", Fixture("importers/events/events.csv"), Import),
            new("events-jsonl", "events.jsonl", EventsJsonl(), Import),
            new("mapping-json", "models.json", Fixture("importers/mapping/models.json"),
                ["import", CliRunner.Fixture("importers/mapping/litellm-three-models.csv"), "--mapping", "{file}", "--ledger", "{ledger}"]),
            new("profile-yaml", "profile.yaml", Encoding.UTF8.GetBytes(KitArtifacts.ExampleProfile()),
                ["procure", "{traces}", "--profile", "{file}", "--out", "{out}"]),
            new("hf-config", "config.json", Fixture("fit/llama-3.1-8b.config.json"),
                ["fit", "--model", "{file}", "--gpu", "h100", "--context", "8192", "--format", "json"]),
            new("gguf-header", "model.gguf", Gguf(),
                ["fit", "--model", "{file}", "--gpu", "h100", "--context", "8192", "--format", "json"]),
        };
        foreach (var file in Directory.GetFiles(CliRunner.Fixture("importers"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(file)!);
            if (folder is "events" or "mapping")
            {
                continue;
            }
            // Files the importers refuse by design (exit 1: aggregates whose percentiles cannot be recombined, a run
            // where every request failed): their mutations test that refusal. A new fixture of that kind goes here.
            var seedExit = Refused.Contains(Path.GetFileName(file)) ? 1 : 0;
            targets.Add(new($"importer-{folder}-{Path.GetFileNameWithoutExtension(file)}", Path.GetFileName(file), File.ReadAllBytes(file), [.. Import, .. importerFills], seedExit));
        }
        return targets;
    }

    private static byte[] EventsJsonl()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 12; i++)
        {
            text.Append(FormattableString.Invariant(
                $"{{\"requestId\":\"r{i}\",\"startedAt\":\"2026-11-22T10:00:{i:00}.250Z\",\"latencyMs\":{900 + 37 * i},\"route\":\"self-hosted\",\"provider\":\"vLLM\",\"model\":\"llama-3.1-8b\",\"workload\":\"support\",\"inputTokens\":{1000 + i},\"cachedInputTokens\":500,\"outputTokens\":{100 + i},\"ttftMs\":120.5,\"status\":\"{(i % 5 == 4 ? "timeout" : "ok")}\",\"attempt\":1,\"accepted\":true,\"costUsd\":0.0012,\"concurrency\":4}}\n"));
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A GGUF v3 header of a small Llama-shaped model: magic, version, counts, typed key/values, no tensors.</summary>
    private static byte[] Gguf()
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        var uints = new (string Key, uint Value)[]
        {
            ("llama.block_count", 32), ("llama.embedding_length", 4096), ("llama.attention.head_count", 32),
            ("llama.attention.head_count_kv", 8), ("llama.feed_forward_length", 14336), ("llama.vocab_size", 128256),
            ("llama.context_length", 131072), ("general.file_type", 1),
        };
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write(0UL);
        w.Write((ulong)(uints.Length + 1));
        void Text(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            w.Write((ulong)b.Length);
            w.Write(b);
        }
        Text("general.architecture");
        w.Write(8u);
        Text("llama");
        foreach (var (key, value) in uints)
        {
            Text(key);
            w.Write(4u);
            w.Write(value);
        }
        w.Flush();
        return stream.ToArray();
    }
}

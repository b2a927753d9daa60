using System.Security.Cryptography;
using System.Text;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Tests;

internal static class LedgerTestKit
{
    public const string Header = "route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes";

    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "fixtures", relative);

    public static ImportSource FromFile(string path) =>
        new(path, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), TraceFormats.Detect(path, File.ReadAllBytes(path).AsSpan(0, Math.Min(512, (int)new FileInfo(path).Length))), () => File.OpenRead(path));

    public static ImportSource FromText(string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new ImportSource(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), TraceFormat.Csv, () => new MemoryStream(bytes));
    }

    public static string TempLedger() => Path.Combine(Path.GetTempPath(), "infercost-test-" + Guid.NewGuid().ToString("N") + ".duckdb");
}

using System.Net;

namespace InferCost.Studio.Hosting;

/// <summary>What one Studio instance serves: the ledger file, the upload limit and, when bound beyond loopback,
/// the access token. Read once from configuration (section <c>Studio</c>) when first asked for.</summary>
public sealed record StudioSettings
{
    public const long DefaultMaxUploadBytes = 100L * 1024 * 1024;
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 5080;

    /// <summary>Absolute path of the DuckDB ledger; created by the first import when absent.</summary>
    public required string LedgerPath { get; init; }

    /// <summary>Largest upload accepted, bytes.</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>Required on every request (except <c>/healthz</c>) when set; always set for a non-loopback host.</summary>
    public string? AccessToken { get; init; }

    /// <summary>The address Studio listens on; loopback unless the user asked otherwise.</summary>
    public string Host { get; init; } = DefaultHost;

    public static StudioSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Studio");
        var ledger = section["Ledger"];
        if (string.IsNullOrWhiteSpace(ledger))
        {
            ledger = Environment.GetEnvironmentVariable("INFERCOST_LEDGER") is { Length: > 0 } fromEnvironment ? fromEnvironment : "infercost.duckdb";
        }
        var maxUpload = section["MaxUploadBytes"] is { } text && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes > 0
            ? bytes
            : DefaultMaxUploadBytes;
        return new StudioSettings
        {
            LedgerPath = Path.GetFullPath(ledger),
            MaxUploadBytes = maxUpload,
            AccessToken = section["AccessToken"] is { Length: > 0 } token ? token : null,
            Host = section["Host"] is { Length: > 0 } host ? host : DefaultHost,
        };
    }

    /// <summary>True for localhost, 127.0.0.0/8 and ::1: addresses no other machine can reach.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>"100 MB" for the default: the limit as people read it in messages.</summary>
    public string MaxUploadText => MaxUploadBytes % (1024 * 1024) == 0
        ? $"{MaxUploadBytes / (1024 * 1024)} MB"
        : $"{MaxUploadBytes} bytes";
}

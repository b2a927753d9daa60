using System.CommandLine;
using System.Globalization;
using System.Net;
using InferCost.Bench.Emulator;
using InferCost.Core.Contract;
using InferCost.Core.Reading;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost emulate</c>: serve a route's behaviour on loopback (<see cref="EmulatorServer"/>) until
/// Ctrl-C or <c>--run-for</c>. Parses flags, derives the profile, starts, waits.</summary>
internal static class EmulateCommand
{
    private const string Example =
        "Examples:\n" +
        "  infercost emulate --port 8000 --ttft-ms 300 --ms-per-token 25 --max-concurrency 16 --rpm 600\n" +
        "  infercost emulate --prefix-cache --fault-rate 0.01 --jitter 0.2 --seed 7\n" +
        "  infercost emulate --from-rows rows.csv --route serverless --workload support-triage";

    private sealed class Flags
    {
        public readonly Option<string?> Port = new("--port") { Description = "TCP port; 0 picks a free one. Default 8000." };
        public readonly Option<string> Host = new("--host") { Description = "IP address to listen on. Default 127.0.0.1.", DefaultValueFactory = _ => "127.0.0.1" };
        public readonly Option<string?> TtftMs = new("--ttft-ms") { Description = "Time to first token, ms. Default 0." };
        public readonly Option<string?> MsPerToken = new("--ms-per-token") { Description = "Time per output token after the first, ms. Default 0." };
        public readonly Option<string?> Jitter = new("--jitter") { Description = "Coefficient of variation of per-request gamma factors on TTFT and token time; 0 (default) = fixed delays." };
        public readonly Option<string?> MaxConcurrency = new("--max-concurrency") { Description = "Requests served at once; more queue. Default: no limit." };
        public readonly Option<string?> BatchSlowdown = new("--batch-slowdown") { Description = "How much slower tokens are when full: ×(1 + this) at --max-concurrency. Default 0.5." };
        public readonly Option<string?> OutputTokens = new("--output-tokens") { Description = "Output tokens when a request gives no max_tokens. Default 64." };
        public readonly Option<string?> Rpm = new("--rpm") { Description = "Requests per minute; beyond it 429 with Retry-After (enforced per second, as providers do)." };
        public readonly Option<string?> Tpm = new("--tpm") { Description = "Tokens (input + max output) per minute; beyond it 429 with Retry-After." };
        public readonly Option<bool> PrefixCache = new("--prefix-cache") { Description = "Cache prompt prefixes in 16-token blocks: cached_tokens in usage and a shorter TTFT." };
        public readonly Option<string?> FaultRate = new("--fault-rate") { Description = "Share of requests with a fault (0..1). Default 0." };
        public readonly Option<string?> Faults = new("--faults") { Description = "Which faults: any of 5xx,stall,cut. Default all three, equally likely." };
        public readonly Option<string?> StallMs = new("--stall-ms") { Description = "How long a stall pauses the response, ms. Default 10000." };
        public readonly Option<string?> Seed = new("--seed") { Description = "Random seed for jitter and faults. Default 1." };
        public readonly Option<string?> Reply = new("--reply") { Description = "Answer every request with this text (split into word tokens) instead of filler words." };
        public readonly Option<FileInfo?> FromRows = new("--from-rows") { Description = "Contract rows (CSV/JSON/JSONL) to take TTFT, speed, concurrency, spread and error rate from." };
        public readonly Option<string?> Route = new("--route") { Description = "With --from-rows: the route whose rows to use." };
        public readonly Option<string?> Workload = new("--workload") { Description = "With --from-rows: the workload whose rows to use." };
        public readonly Option<string?> Model = new("--model") { Description = "With --from-rows: the model, when the rows hold several." };
        public readonly Option<string?> ApiKeyEnv = new("--api-key-env") { Description = "Require this environment variable's value as a bearer token (401 otherwise)." };
        public readonly Option<string?> RunFor = new("--run-for") { Description = "Stop after this long (e.g. 30s); default: until Ctrl-C." };

        public IEnumerable<Option> All() =>
        [
            Port, Host, TtftMs, MsPerToken, Jitter, MaxConcurrency, BatchSlowdown, OutputTokens, Rpm, Tpm, PrefixCache,
            FaultRate, Faults, StallMs, Seed, Reply, FromRows, Route, Workload, Model, ApiKeyEnv, RunFor,
        ];
    }

    public static Command Create(CommandContext context)
    {
        var flags = new Flags();
        var command = new Command("emulate",
            "Serve an OpenAI-compatible /v1/chat/completions on loopback that behaves like a route: TTFT and per-token " +
            "time, queueing past its concurrency, slower tokens as it fills, prefix cache, 429 with Retry-After past its " +
            "rate limits, injected 5xx, stalls and cut streams. Seeded; fixed delays unless --jitter.\n" + Example);
        foreach (var option in flags.All())
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) => ExecuteAsync(context, parse, flags, cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, Flags flags, CancellationToken cancellationToken)
    {
        var values = new FlagValues(parse);
        var port = (int)(values.Whole(flags.Port, "a TCP port 0..65535", 0, 65535) ?? 8000);
        var hostText = parse.GetValue(flags.Host)!;
        if (!IPAddress.TryParse(hostText, out var host))
        {
            values.Problems.Add($"--host must be an IP address such as 127.0.0.1 (got '{hostText}').");
        }
        var faults = ParseFaults(parse.GetValue(flags.Faults), values.Problems);
        var profile = new EmulatorProfile
        {
            TtftMs = values.Number(flags.TtftMs, "a number of milliseconds ≥ 0", v => v >= 0) ?? 0,
            MsPerToken = values.Number(flags.MsPerToken, "a number of milliseconds ≥ 0", v => v >= 0) ?? 0,
            Jitter = values.Number(flags.Jitter, "a coefficient of variation ≥ 0", v => v >= 0) ?? 0,
            MaxConcurrency = (int)(values.Whole(flags.MaxConcurrency, "a whole number ≥ 1", 1, 1_000_000) ?? 0),
            BatchSlowdown = values.Number(flags.BatchSlowdown, "a number ≥ 0", v => v >= 0) ?? 0.5,
            OutputTokens = (int)(values.Whole(flags.OutputTokens, "a whole number ≥ 1", 1, 1_000_000) ?? 64),
            RequestsPerMinute = values.Whole(flags.Rpm, "a whole number of requests per minute ≥ 1", 1),
            TokensPerMinute = values.Whole(flags.Tpm, "a whole number of tokens per minute ≥ 1", 1),
            PrefixCache = parse.GetValue(flags.PrefixCache),
            FaultRate = values.Number(flags.FaultRate, "a share between 0 and 1", v => v is >= 0 and <= 1) ?? 0,
            Faults = faults,
            StallMs = values.Number(flags.StallMs, "a number of milliseconds ≥ 0", v => v >= 0) ?? 10_000,
            Seed = values.Seed(flags.Seed),
            Reply = parse.GetValue(flags.Reply),
        };
        var runFor = values.Seconds(flags.RunFor);
        if (parse.GetValue(flags.ApiKeyEnv) is { } keyVariable)
        {
            var key = context.Environment.GetVariable(keyVariable);
            if (string.IsNullOrEmpty(key))
            {
                values.Problems.Add($"--api-key-env names {keyVariable}, which is not set or empty.");
            }
            profile = profile with { ApiKey = key };
        }
        var rowsFile = parse.GetValue(flags.FromRows);
        var route = parse.GetValue(flags.Route);
        var workload = parse.GetValue(flags.Workload);
        if (rowsFile is not null && (route is null || workload is null))
        {
            values.Problems.Add("--from-rows needs --route and --workload to pick the rows.");
        }
        if (rowsFile is null && (route is not null || workload is not null))
        {
            values.Problems.Add("--route and --workload pick rows of --from-rows; give the file too.");
        }
        if (values.Problems.Count > 0)
        {
            foreach (var problem in values.Problems)
            {
                context.Err.WriteLine($"infercost emulate: {problem}");
            }
            return ExitCodes.Usage;
        }
        if (rowsFile is not null)
        {
            var derived = LoadProfile(rowsFile.FullName, rowsFile.ToString(), route!, workload!, parse.GetValue(flags.Model), profile, context, out var exit);
            if (derived is null)
            {
                return exit;
            }
            profile = derived;
        }

        EmulatorServer server;
        try
        {
            server = await EmulatorServer.StartAsync(profile, host, port, context.Environment.Clock, cancellationToken);
        }
        catch (IOException ex)
        {
            context.Err.WriteLine($"infercost emulate: cannot listen on {hostText}:{port.ToString(CultureInfo.InvariantCulture)} ({ex.Message.TrimEnd('.')}).");
            return ExitCodes.Environment;
        }
        await using (server)
        {
            context.Out.WriteLine($"Emulating {profile.Source} on {server.BaseAddress}v1 (OpenAI-compatible; Ctrl-C stops).");
            context.Out.Flush();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (runFor is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            await server.RunUntilCancelledAsync(stop.Token);
        }
        return ExitCodes.Success;
    }

    private static IReadOnlyList<FaultKind> ParseFaults(string? text, List<string> problems)
    {
        if (text is null)
        {
            return [FaultKind.ServerError, FaultKind.Stall, FaultKind.Cut];
        }
        var kinds = new List<FaultKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "5xx": kinds.Add(FaultKind.ServerError); break;
                case "stall": kinds.Add(FaultKind.Stall); break;
                case "cut": kinds.Add(FaultKind.Cut); break;
                default:
                    problems.Add($"--faults takes 5xx, stall and cut (got '{part}').");
                    break;
            }
        }
        return kinds;
    }

    private static EmulatorProfile? LoadProfile(string path, string shownPath, string route, string workload, string? model,
        EmulatorProfile baseProfile, CommandContext context, out int exit)
    {
        exit = ExitCodes.Success;
        var sources = InputFiles.Resolve([shownPath], context, hash: false);
        if (sources is null)
        {
            exit = ExitCodes.Environment;
            return null;
        }
        var rows = new List<TraceRow>();
        TraceFileResult result;
        using (var stream = sources[0].Open())
        {
            result = TraceReader.Read(stream, shownPath, sources[0].Format, (row, _) => rows.Add(row));
        }
        if (!result.IsValid)
        {
            ValidationReport.PrintSentences([result], context);
            exit = ExitCodes.Invalid;
            return null;
        }
        var profile = ProfileFromRows.Derive(rows, route, workload, model, baseProfile, out var problem);
        if (profile is null)
        {
            context.Err.WriteLine($"infercost emulate: {shownPath}: {problem}.");
            exit = ExitCodes.Invalid;
        }
        return profile;
    }
}

using System.CommandLine;
using System.Globalization;
using InferCost.Bench.Client;
using InferCost.Bench.Evaluation;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost bench</c>: measure an OpenAI-compatible endpoint at several load levels
/// (<see cref="BenchRunner"/>), writing DIR/events.jsonl as it goes and DIR/summary.json at the end.</summary>
internal static class BenchCommand
{
    private const string Example =
        "Examples:\n" +
        "  infercost bench --endpoint http://127.0.0.1:8000/v1 --model llama-3.1-8b --route self-hosted \\\n" +
        "      --synthetic \"isl=1000,osl=200,prefix=800,prefixes=4\" --concurrency 1,4,16 --requests 200 --out runs/llama\n" +
        "  infercost bench --endpoint https://api.example.com/v1 --model m --api-key-env EXAMPLE_API_KEY --route managed \\\n" +
        "      --dataset prompts.jsonl --accept \"regex:^\\d+$\" --rate 2,5,10 --duration 2m --target-ms 8000 --out runs/m";

    private sealed class Flags
    {
        public readonly Option<string?> Endpoint = new("--endpoint") { Description = "API root (…/v1) or the full …/chat/completions URL." };
        public readonly Option<string?> Model = new("--model") { Description = "The model name sent in each request." };
        public readonly Option<string?> ApiKeyEnv = new("--api-key-env") { Description = "Name of the environment variable holding the API key (sent as a bearer token; never written anywhere)." };
        public readonly Option<FileInfo?> Dataset = new("--dataset") { Description = "JSON Lines prompts: {\"messages\":[…]} or {\"prompt\":\"…\"}, optional \"expected\", \"max_tokens\", \"id\"." };
        public readonly Option<string?> Synthetic = new("--synthetic") { Description = "Generated prompts, e.g. \"isl=1000,osl=200,prefix=800,prefixes=4\"." };
        public readonly Option<string?> Concurrency = new("--concurrency") { Description = "Closed-loop levels: requests in flight, e.g. 1,4,16." };
        public readonly Option<string?> Rate = new("--rate") { Description = "Open-loop levels: requests per second, e.g. 2,5,10." };
        public readonly Option<string?> Burstiness = new("--burstiness") { Description = "Rate mode: gamma shape of gaps, 1 = Poisson (default), below 1 burstier." };
        public readonly Option<string?> Requests = new("--requests") { Description = "Recorded requests per level. Default 100 (unless --duration)." };
        public readonly Option<string?> Duration = new("--duration") { Description = "Time per level instead of a request count, e.g. 2m." };
        public readonly Option<string?> Warmup = new("--warmup") { Description = "Requests per level sent first and not recorded. Default 0." };
        public readonly Option<string?> MaxTokens = new("--max-tokens") { Description = "max_tokens for every request (overrides the dataset's and --synthetic's osl)." };
        public readonly Option<string?> TimeoutMs = new("--timeout-ms") { Description = "Limit per attempt to the last byte, ms. Default 600000." };
        public readonly Option<string?> MaxRetries = new("--max-retries") { Description = "Retries after 429, 5xx, timeouts and connection failures. Default 2." };
        public readonly Option<string?> BackoffMs = new("--backoff-ms") { Description = "Backoff base, ms (retry k waits up to base·2^(k−1), at least Retry-After). Default 500." };
        public readonly Option<string?> BackoffMaxMs = new("--backoff-max-ms") { Description = "Backoff cap, ms. Default 30000." };
        public readonly Option<string?> Accept = new("--accept") { Description = "Evaluator: " + AcceptSpec.Forms + ". Default with a dataset that has \"expected\": exact." };
        public readonly Option<string?> TargetMs = new("--target-ms") { Description = "Per-request latency target for goodput, ms; also the rows' targetP95Ms." };
        public readonly Option<string?> Route = new("--route") { Description = "The route the endpoint stands for (managed, serverless, dedicated, self-hosted, owned)." };
        public readonly Option<string?> Provider = new("--provider") { Description = "Provider label for events and rows. Default: the endpoint's host." };
        public readonly Option<string?> Workload = new("--workload") { Description = "Workload label. Default: the dataset's file name, or 'synthetic'." };
        public readonly Option<bool> NoStream = new("--no-stream") { Description = "Send non-streaming requests (no TTFT)." };
        public readonly Option<string?> Seed = new("--seed") { Description = "Seed for arrivals, synthetic prompts and backoff jitter. Default 1." };
        public readonly Option<string?> Out = new("--out") { Description = "Directory for events.jsonl and summary.json." };
        public readonly Option<bool> Quiet = new("--quiet") { Description = "No progress line." };

        public IEnumerable<Option> All() =>
        [
            Endpoint, Model, ApiKeyEnv, Dataset, Synthetic, Concurrency, Rate, Burstiness, Requests, Duration, Warmup,
            MaxTokens, TimeoutMs, MaxRetries, BackoffMs, BackoffMaxMs, Accept, TargetMs, Route, Provider, Workload,
            NoStream, Seed, Out, Quiet,
        ];
    }

    public static Command Create(CommandContext context)
    {
        var flags = new Flags();
        var command = new Command("bench",
            "Measure an OpenAI-compatible /v1/chat/completions endpoint at several concurrency or rate levels: TTFT, " +
            "TPOT, latency percentiles, errors, retries and accepted outputs. Writes DIR/events.jsonl (one event per " +
            "attempt, flushed as each completes) and DIR/summary.json (one contract row per level).\n" + Example);
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
        var plan = BuildPlan(context, parse, flags, values, out var exit);
        if (plan is null)
        {
            return exit;
        }
        var (settings, endpoint, apiKey, apiKeyEnv, outDir) = plan.Value;
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"infercost bench: cannot create {outDir} ({ex.Message.TrimEnd('.')}).");
            return ExitCodes.Environment;
        }
        var eventsPath = Path.Combine(outDir, "events.jsonl");
        var startedAt = context.Environment.Clock.GetUtcNow();
        IReadOnlyList<LevelOutcome> outcomes;
        using (var client = new EndpointClient(endpoint, apiKey))
        {
            EventsJsonlWriter writer;
            try
            {
                writer = new EventsJsonlWriter(new FileStream(eventsPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine($"infercost bench: cannot write {eventsPath} ({ex.Message.TrimEnd('.')}).");
                return ExitCodes.Environment;
            }
            using (writer)
            {
                var interactive = !context.Environment.OutputRedirected && !parse.GetValue(flags.Quiet);
                var quiet = parse.GetValue(flags.Quiet);
                var runner = new BenchRunner(settings, client, writer, context.Environment.Clock);
                if (endpoint.UserInfo.Length > 0)
                {
                    context.Err.WriteLine("infercost bench: the user info in --endpoint is neither sent nor shown; pass a key with --api-key-env.");
                }
                // Never the address as given: user info (user:password@) and a query string are where credentials hide.
                context.Err.WriteLine($"infercost bench: {Shown(client.CompletionsAddress)}, {settings.Levels.Count} level(s), events → {eventsPath}");
                outcomes = await runner.RunAsync(quiet ? null : p => Progress(context, p, interactive), cancellationToken);
            }
        }
        var cancelled = cancellationToken.IsCancellationRequested;
        var summary = BenchSummaryBuilder.Build(settings, Shown(endpoint), apiKeyEnv, startedAt, outcomes, cancelled);
        var summaryPath = Path.Combine(outDir, "summary.json");
        try
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            JsonOutput.Write(text, summary);
            AtomicFile.WriteAllText(summaryPath, text.ToString());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"infercost bench: cannot write {summaryPath} ({ex.Message.TrimEnd('.')}).");
            return ExitCodes.Environment;
        }
        WriteTable(context.Out, summary);
        context.Out.WriteLine($"Wrote {eventsPath} and {summaryPath}.");
        foreach (var level in summary.Levels.Where(l => l.RetryAfterCapped > 0))
        {
            var times = level.RetryAfterCapped == 1 ? "1 retry" : $"{level.RetryAfterCapped.ToString(CultureInfo.InvariantCulture)} retries";
            context.Err.WriteLine($"infercost bench: {Tag(level)}: {times} waited --backoff-max-ms ({settings.Retry.CapMs.ToString(CultureInfo.InvariantCulture)} ms) " +
                $"although the server's Retry-After asked for up to {level.LongestCappedRetryAfterSeconds!.Value.ToString("0.###", CultureInfo.InvariantCulture)} s.");
        }
        if (cancelled)
        {
            context.Err.WriteLine("infercost bench: stopped before the end; events and summary hold what completed.");
            return ExitCodes.Invalid;
        }
        var attempts = summary.Levels.Sum(l => l.Attempts);
        var connection = summary.Levels.Sum(l => l.ErrorsByClass.GetValueOrDefault("connection"));
        if (attempts > 0 && connection == attempts)
        {
            context.Err.WriteLine($"infercost bench: no attempt could connect to {Shown(endpoint)}.");
            return ExitCodes.Environment;
        }
        if (summary.Levels.FirstOrDefault(l => l.StoppedReason is not null) is { } stopped)
        {
            var notRun = settings.Levels.Count - summary.Levels.Count;
            context.Err.WriteLine($"infercost bench: {Tag(stopped)} stopped: {stopped.StoppedReason} to {Shown(endpoint)}" +
                (notRun > 0 ? $"; {notRun.ToString(CultureInfo.InvariantCulture)} later level(s) not run" : "") +
                ". events.jsonl and summary.json hold what was measured.");
            return ExitCodes.Environment;
        }
        if (attempts > 0 && summary.Levels.Sum(l => l.Succeeded) == 0)
        {
            // A run in which nothing succeeded measured the endpoint's refusals, not the endpoint: a check failed.
            var classes = summary.Levels.SelectMany(l => l.ErrorsByClass).GroupBy(p => p.Key, StringComparer.Ordinal)
                .OrderByDescending(g => g.Sum(p => p.Value)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {g.Sum(p => p.Value).ToString(CultureInfo.InvariantCulture)}");
            context.Err.WriteLine($"infercost bench: no request succeeded ({string.Join(", ", classes)} of {attempts.ToString(CultureInfo.InvariantCulture)} attempts); events and summary hold every attempt.");
            return ExitCodes.Invalid;
        }
        return ExitCodes.Success;
    }

    private static (BenchSettings Settings, Uri Endpoint, string? ApiKey, string? ApiKeyEnv, string OutDir)? BuildPlan(
        CommandContext context, ParseResult parse, Flags flags, FlagValues values, out int exit)
    {
        exit = ExitCodes.Usage;
        var problems = values.Problems;
        Uri? endpoint = null;
        var endpointText = parse.GetValue(flags.Endpoint);
        if (endpointText is null)
        {
            problems.Add("--endpoint is required (the API root, e.g. http://127.0.0.1:8000/v1).");
        }
        else if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            problems.Add("--endpoint must be an http:// or https:// URL.");
            endpoint = null;
        }
        var model = parse.GetValue(flags.Model);
        if (string.IsNullOrWhiteSpace(model))
        {
            problems.Add("--model is required.");
        }
        var outDir = parse.GetValue(flags.Out);
        if (string.IsNullOrWhiteSpace(outDir))
        {
            problems.Add("--out DIR is required.");
        }
        var routeText = parse.GetValue(flags.Route);
        var route = string.Empty;
        if (routeText is null)
        {
            problems.Add($"--route is required so events and rows can be imported: one of {string.Join(", ", Routes.All)} (or an alias).");
        }
        else if (!Routes.TryNormalize(routeText, out route))
        {
            problems.Add($"--route '{routeText}' is not one of: {string.Join(", ", Routes.All)}.");
        }
        var concurrency = values.NumberList(flags.Concurrency, "whole numbers ≥ 1", v => v >= 1 && v == Math.Floor(v) && v <= 100_000);
        var rates = values.NumberList(flags.Rate, "rates > 0", v => v > 0);
        if ((concurrency is null) == (rates is null) && parse.GetValue(flags.Concurrency) is null == parse.GetValue(flags.Rate) is null)
        {
            problems.Add("Give --concurrency (closed loop) or --rate (open loop), not both or neither.");
        }
        var burstiness = values.Number(flags.Burstiness, "a positive gamma shape (1 = Poisson)", v => v > 0) ?? 1.0;
        var requests = values.Whole(flags.Requests, "a whole number ≥ 1", 1);
        var duration = values.Seconds(flags.Duration);
        if (duration is 0)
        {
            problems.Add("--duration must be longer than zero.");
        }
        if (requests is not null && duration is not null)
        {
            problems.Add("Give --requests or --duration, not both.");
        }
        var warmup = (int)(values.Whole(flags.Warmup, "a whole number ≥ 0", 0, 1_000_000) ?? 0);
        var maxTokens = (int?)values.Whole(flags.MaxTokens, "a whole number ≥ 1", 1, int.MaxValue);
        var timeoutMs = values.Number(flags.TimeoutMs, "a positive number of milliseconds", v => v > 0) ?? 600_000;
        var maxRetries = (int)(values.Whole(flags.MaxRetries, "a whole number ≥ 0", 0, 100) ?? 2);
        var backoffMs = values.Number(flags.BackoffMs, "a number of milliseconds ≥ 0", v => v >= 0) ?? 500;
        var backoffMaxMs = values.Number(flags.BackoffMaxMs, "a number of milliseconds ≥ 0", v => v >= 0) ?? 30_000;
        var targetMs = values.Number(flags.TargetMs, "a positive number of milliseconds", v => v > 0);
        var seed = values.Seed(flags.Seed);
        var datasetFile = parse.GetValue(flags.Dataset);
        var syntheticSpec = parse.GetValue(flags.Synthetic);
        if ((datasetFile is null) == (syntheticSpec is null))
        {
            problems.Add("Give --dataset FILE or --synthetic \"isl=…,osl=…\", one of the two.");
        }
        IPromptSource? prompts = null;
        if (syntheticSpec is not null && datasetFile is null)
        {
            prompts = SyntheticPrompts.Parse(syntheticSpec, seed, out var syntheticProblem);
            if (syntheticProblem is not null)
            {
                problems.Add(syntheticProblem + ".");
            }
        }
        IOutputEvaluator? evaluator = null;
        if (parse.GetValue(flags.Accept) is { } acceptText)
        {
            evaluator = AcceptSpec.Parse(acceptText, File.ReadAllText, out var acceptProblem);
            if (acceptProblem is not null)
            {
                problems.Add(acceptProblem + ".");
            }
        }
        string? apiKey = null;
        var apiKeyEnv = parse.GetValue(flags.ApiKeyEnv);
        if (apiKeyEnv is not null)
        {
            apiKey = context.Environment.GetVariable(apiKeyEnv);
            if (string.IsNullOrEmpty(apiKey))
            {
                problems.Add($"--api-key-env names {apiKeyEnv}, which is not set or empty.");
            }
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                context.Err.WriteLine($"infercost bench: {problem}");
            }
            return null;
        }

        if (datasetFile is not null)
        {
            var diagnostics = new DiagnosticBag();
            try
            {
                using var reader = new StreamReader(datasetFile.FullName);
                prompts = DatasetPrompts.Read(reader, datasetFile.ToString(), diagnostics);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine($"{datasetFile}: cannot be read ({ex.Message.TrimEnd('.')}).");
                exit = ExitCodes.Environment;
                return null;
            }
            if (prompts is null)
            {
                foreach (var d in diagnostics.Errors.Take(20))
                {
                    context.Err.WriteLine(d.ToSentence(datasetFile.ToString()));
                }
                exit = ExitCodes.Invalid;
                return null;
            }
            if (evaluator is null && Enumerable.Range(0, ((DatasetPrompts)prompts).Count).Any(i => prompts.Get(i).Expected is not null))
            {
                evaluator = new ExactEvaluator(null);
            }
        }

        var levels = concurrency is not null
            ? concurrency.Select(c => new BenchLevel(LevelMode.Concurrency, c)).ToList()
            : rates!.Select(r => new BenchLevel(LevelMode.Rate, r)).ToList();
        var runId = "bench-" + context.Environment.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var settings = new BenchSettings
        {
            Model = model!,
            Prompts = prompts!,
            Levels = levels,
            Burstiness = burstiness,
            RequestsPerLevel = duration is null ? requests ?? 100 : null,
            DurationSecondsPerLevel = duration,
            Warmup = warmup,
            MaxTokens = maxTokens,
            TimeoutMs = timeoutMs,
            Retry = new RetryPolicy(maxRetries, backoffMs, backoffMaxMs),
            Stream = !parse.GetValue(flags.NoStream),
            Route = route,
            Provider = parse.GetValue(flags.Provider) ?? endpoint!.Authority,
            Workload = parse.GetValue(flags.Workload) ?? (datasetFile is not null ? Path.GetFileNameWithoutExtension(datasetFile.Name) : "synthetic"),
            Evaluator = evaluator,
            LatencyTargetMs = targetMs,
            Seed = seed,
            RunId = runId,
        };
        exit = ExitCodes.Success;
        return (settings, endpoint!, apiKey, apiKeyEnv, outDir!);
    }

    /// <summary>The endpoint as it may be shown: scheme, host, port and path only (user info and query strings
    /// are where keys sometimes hide).</summary>
    private static string Shown(Uri endpoint) =>
        $"{endpoint.Scheme}://{endpoint.Authority}{endpoint.AbsolutePath}";

    private static void Progress(CommandContext context, BenchProgress p, bool interactive)
    {
        var line = $"[{p.Level.Tag}] {p.Done} done, {p.RequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} req/s, " +
            $"p50 {Ms(p.LatencyP50Ms)}, p95 {Ms(p.LatencyP95Ms)}, errors {p.Errors}";
        if (interactive)
        {
            context.Err.Write("\r" + line.PadRight(90));
            if (p.Final)
            {
                context.Err.WriteLine();
            }
        }
        else if (p.Final)
        {
            context.Err.WriteLine(line);
        }
    }

    private static string Ms(double? ms) => ms is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "–";

    private static string Tag(BenchLevelSummary l) => (l.Mode == "rate" ? "rate " : "conc ") + l.Value.ToString("0.###", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter output, BenchSummary summary)
    {
        output.WriteLine("level      requests  ok     req/s    ttft p50   tpot p50   p50        p95        p99        errors  goodput/s");
        foreach (var l in summary.Levels)
        {
            var tag = Tag(l);
            var r = l.Rollup;
            output.WriteLine(string.Join(' ',
                tag.PadRight(10),
                l.Requests.ToString(CultureInfo.InvariantCulture).PadRight(9),
                l.Succeeded.ToString(CultureInfo.InvariantCulture).PadRight(6),
                l.ThroughputRequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture).PadRight(8),
                Ms(r?.TtftMs).PadRight(10),
                Ms(l.TpotP50Ms).PadRight(10),
                Ms(r?.LatencyP50Ms).PadRight(10),
                Ms(r?.LatencyP95Ms).PadRight(10),
                Ms(r?.LatencyP99Ms).PadRight(10),
                (l.Attempts - l.Succeeded).ToString(CultureInfo.InvariantCulture).PadRight(7),
                l.GoodputRequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)));
            if (l.AchievedRatePerSecond is { } achieved)
            {
                output.WriteLine($"           achieved {achieved.ToString("0.0", CultureInfo.InvariantCulture)} req/s of {l.ScheduledRatePerSecond?.ToString("0.0", CultureInfo.InvariantCulture)} scheduled; schedule lag p50 {Ms(l.ScheduleLagP50Ms)}, p99 {Ms(l.ScheduleLagP99Ms)}");
            }
            if (l.RowReason is { } reason)
            {
                output.WriteLine($"           no contract row: {reason}");
            }
        }
    }
}

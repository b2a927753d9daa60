using System.CommandLine;
using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Simulation;

namespace InferCost.Cli.Commands;

/// <summary><c>infercost simulate</c>: capacity and tail latency under load, from the seeded discrete-event
/// simulator in <see cref="Simulator"/>. Parses flags, reads the small input files, runs, prints.</summary>
internal static class SimulateCommand
{
    private const string Example =
        "Examples:\n" +
        "  infercost simulate --rate 8 --service exponential --mean-service-ms 1000 --replicas 10\n" +
        "  infercost simulate --rate 8 --mean-service-ms 1000 --target \"queueWaitP99Ms<=500\" --find-min-replicas\n" +
        "  infercost simulate --rate 3 --service measured --points points.csv --duration 24h --demand demand.csv \\\n" +
        "      --timeout-ms 30000 --retries 2 --usd-per-replica-hour 12.5 --format json\n" +
        "  infercost simulate --rate 3 --service measured bench.csv --route dedicated --workload support-policy --gpu H100 --gpu-count 2\n" +
        "  infercost simulate --rate 3 --service measured --ledger infercost.duckdb --route self-hosted --workload chat --model llama-70b";

    private sealed class Flags
    {
        public readonly Option<string?> Rate = new("--rate") { Description = "Mean arrival rate, requests per second (the rate at demand multiplier 1)." };
        public readonly Option<string?> Burstiness = new("--burstiness") { Description = "Gamma shape of inter-arrival gaps: 1 = Poisson (default), below 1 burstier." };
        public readonly Option<FileInfo?> Demand = new("--demand") { Description = "File of 24 hourly multipliers of --rate (hour 0..23 of each simulated day)." };
        public readonly Option<FileInfo?> Replay = new("--replay") { Description = "File of request times to replay, one per line (seconds or ISO 8601); replaces --rate." };
        public readonly Option<string?> Replicas = new("--replicas") { Description = "Replicas serving (the floor when autoscaling). Default 1." };
        public readonly Option<string?> MaxConcurrency = new("--max-concurrency") { Description = "Requests one replica serves at once. Default 1 (exponential) or the highest measured concurrency." };
        public readonly Option<string> Service = new("--service") { Description = "Service-time model: exponential or measured.", DefaultValueFactory = _ => "exponential" };
        public readonly Option<string?> MeanServiceMs = new("--mean-service-ms") { Description = "Mean service time in ms (exponential service)." };
        public readonly Option<FileInfo?> Points = new("--points") { Description = "CSV of measured points: concurrency,ttftMs,outputTokensPerSecond,outputTokens (measured service; or trace rows with --route and --workload)." };
        public readonly Argument<string[]> Files = new("FILE") { Description = "Trace files whose rows and events give the measured points (with --service measured --route --workload). Without files, the ledger is read.", Arity = ArgumentArity.ZeroOrMore };
        public readonly Option<string?> Ledger = LedgerOptions.Create();
        public readonly Option<string?> Route = new("--route") { Description = "Measured service from trace rows: the route whose rows and events give the points (a name or alias)." };
        public readonly Option<string?> Workload = new("--workload") { Description = "Measured service from trace rows: the workload." };
        public readonly Option<string?> Model = new("--model") { Description = "Measured service from trace rows: the model, when the route/workload measures several." };
        public readonly Option<string?> OutputTokensCv = new("--output-tokens-cv") { Description = "Coefficient of variation of output length around the measured mean (measured service). Default 1." };
        public readonly Option<string?> Requests = new("--requests") { Description = "Arrivals to simulate. Default 1000000 (or every replayed time)." };
        public readonly Option<string?> Duration = new("--duration") { Description = "Simulated time to run instead, e.g. 24h, 90m." };
        public readonly Option<string?> Warmup = new("--warmup") { Description = "Warm-up excluded from statistics: a share of the run (10%, default) or a time (15m)." };
        public readonly Option<string?> TimeoutMs = new("--timeout-ms") { Description = "Client timeout per attempt, ms, to the full response. Default none." };
        public readonly Option<string?> Retries = new("--retries") { Description = "Retries after a timeout, 429 or 503, with exponential backoff and full jitter. Default 0." };
        public readonly Option<string?> BackoffMs = new("--backoff-ms") { Description = "Backoff base, ms (retry k waits up to base·2^(k−1)). Default 500." };
        public readonly Option<string?> BackoffMaxMs = new("--backoff-max-ms") { Description = "Backoff cap, ms. Default 30000." };
        public readonly Option<bool> CancelOnTimeout = new("--cancel-on-timeout") { Description = "The server drops work whose client gave up (default: it serves it anyway)." };
        public readonly Option<string?> Rpm = new("--rpm") { Description = "Provider limit, requests per minute (429 with retry-after beyond it)." };
        public readonly Option<string?> Tpm = new("--tpm") { Description = "Provider limit, tokens per minute (input + output per request)." };
        public readonly Option<string?> InputTokens = new("--input-tokens") { Description = "Input tokens per request, for --tpm. Default 0." };
        public readonly Option<string?> OutputTokens = new("--output-tokens") { Description = "Output tokens per request, for --tpm (measured service: the measured mean)." };
        public readonly Option<string?> QueueLimit = new("--queue-limit") { Description = "Most requests allowed to wait; beyond it 503. Default unbounded." };
        public readonly Option<string?> AutoscaleMax = new("--autoscale-max") { Description = "Turn on autoscaling from --replicas (the floor) up to this many replicas." };
        public readonly Option<string?> ColdStart = new("--cold-start") { Description = "Autoscaling: time from request to serving, e.g. 90s. Default 60s." };
        public readonly Option<string?> ScaleDownIdle = new("--scale-down-idle") { Description = "Autoscaling: idle time before a replica is released, e.g. 5m. Default 5m." };
        public readonly Option<string?> BurstFactor = new("--burst-factor") { Description = "Multiply the arrival rate by this during the burst, e.g. 2." };
        public readonly Option<string?> BurstStart = new("--burst-start") { Description = "When the burst starts, e.g. 30m. Default 0." };
        public readonly Option<string?> BurstDuration = new("--burst-duration") { Description = "How long the burst lasts, e.g. 10m. Default 10m." };
        public readonly Option<string?> Seed = new("--seed") { Description = "Random seed; the same seed gives the same result. Default 1." };
        public readonly Option<string?> UsdPerReplicaHour = new("--usd-per-replica-hour") { Description = "Price of one replica-hour in USD (instead of --gpu)." };
        public readonly Option<string?> Gpu = new("--gpu") { Description = "Price a replica from the price catalog's hourly offers for this GPU (e.g. H100); default: the rows' gpuHourUsd or gpuType." };
        public readonly Option<string?> GpuCount = new("--gpu-count") { Description = "GPUs per replica, for --gpu. Default: the rows' gpuCount, else 1." };
        public readonly Option<string?> Catalog = PriceCatalogOptions.Create();
        public readonly Option<string?> Profile = new("--profile") { Description = "A buyer profile (profile.yaml): its capacity.gpuCount gives GPUs per replica for the rows it describes, as in procure." };
        public readonly Option<string?> Target = new("--target") { Description = "A target on any output metric, e.g. \"latencyP95Ms<=8000\"; exit 1 when not met." };
        public readonly Option<bool> FindMinReplicas = new("--find-min-replicas") { Description = "Search the fewest replicas that meet --target." };
        public readonly Option<string?> SearchMaxReplicas = new("--search-max-replicas") { Description = "Upper bound of the replica search. Default 1024." };
        public readonly Option<OutputFormat> Format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json);

        public IEnumerable<Option> All() =>
        [
            Rate, Burstiness, Demand, Replay, Replicas, MaxConcurrency, Service, MeanServiceMs, Points, OutputTokensCv,
            Requests, Duration, Warmup, TimeoutMs, Retries, BackoffMs, BackoffMaxMs, CancelOnTimeout, Rpm, Tpm,
            InputTokens, OutputTokens, QueueLimit, AutoscaleMax, ColdStart, ScaleDownIdle, BurstFactor, BurstStart,
            BurstDuration, Seed, UsdPerReplicaHour, Target, FindMinReplicas, SearchMaxReplicas, Format,
            Ledger, Route, Workload, Model, Gpu, GpuCount, Catalog, Profile,
        ];
    }

    public static Command Create(CommandContext context)
    {
        var flags = new Flags();
        var command = new Command("simulate",
            "Simulate capacity and tail latency: arrivals, replicas, autoscaling, timeouts, retries and rate limits " +
            "→ p50/p95/p99, utilization, replica-hours and cost. Deterministic for a given --seed.\n" + Example);
        command.Arguments.Add(flags.Files);
        foreach (var option in flags.All())
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => Execute(context, parse, flags));
        return command;
    }

    private static int Execute(CommandContext context, ParseResult parse, Flags flags)
    {
        var usage = new List<string>();
        var plan = BuildPlan(context, parse, flags, usage, out var inputFailure);
        if (usage.Count > 0)
        {
            foreach (var problem in usage)
            {
                context.Err.WriteLine($"infercost simulate: {problem}");
            }
            return ExitCodes.Usage;
        }
        if (inputFailure is not null)
        {
            foreach (var line in inputFailure.Messages)
            {
                context.Err.WriteLine($"infercost simulate: {line}");
            }
            return inputFailure.ExitCode;
        }
        var config = plan!.Config;
        var problems = SimulationValidation.Validate(config);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                context.Err.WriteLine($"infercost simulate: {problem}");
            }
            return ExitCodes.Invalid;
        }

        var output = new SimulationOutput(plan);
        int exit;
        if (plan.FindMinReplicas)
        {
            var search = CapacityPlanner.FindMinReplicas(config, plan.Target!, plan.SearchMaxReplicas);
            output.Write(context.Out, search.AtMinReplicas, search);
            exit = search.MinReplicas is null ? ExitCodes.Invalid : ExitCodes.Success;
            if (search.MinReplicas is null)
            {
                context.Err.WriteLine($"infercost simulate: {search.NotFoundReason}.");
            }
        }
        else
        {
            var result = Simulator.Run(config);
            output.Write(context.Out, result, null);
            exit = ExitCodes.Success;
            if (plan.Target is { } target && !target.IsMetBy(result))
            {
                result.TryGetMetric(target.Metric, out var value);
                context.Err.WriteLine(
                    $"infercost simulate: the target {target} is not met: {target.Metric} is {SimulationOutput.FormatValue(value)}.");
                exit = ExitCodes.Invalid;
            }
        }
        return exit;
    }

    private sealed record InputFailure(int ExitCode, IReadOnlyList<string> Messages);

    private static SimulationPlan? BuildPlan(CommandContext context, ParseResult parse, Flags flags, List<string> usage, out InputFailure? failure)
    {
        failure = null;
        var values = new FlagValues(parse, usage);
        double? Number(Option<string?> option, string what, Func<double, bool> valid) => values.Number(option, what, valid);
        long? Whole(Option<string?> option, string what, long min) => values.Whole(option, what, min);
        double? Seconds(Option<string?> option) => values.Seconds(option);

        var rate = Number(flags.Rate, "a positive number of requests per second", v => v > 0);
        var burstiness = Number(flags.Burstiness, "a positive gamma shape (1 = Poisson)", v => v > 0) ?? 1.0;
        var replicas = Whole(flags.Replicas, "a whole number of replicas ≥ 1", 1);
        var maxConcurrency = Whole(flags.MaxConcurrency, "a whole number ≥ 1", 1);
        var meanServiceMs = Number(flags.MeanServiceMs, "a positive number of milliseconds", v => v > 0);
        var outputTokensCv = Number(flags.OutputTokensCv, "a number ≥ 0", v => v >= 0) ?? 1.0;
        var requests = Whole(flags.Requests, "a whole number of requests ≥ 1", 1);
        var duration = Seconds(flags.Duration);
        var timeoutMs = Number(flags.TimeoutMs, "a positive number of milliseconds", v => v > 0);
        var retries = Whole(flags.Retries, "a whole number ≥ 0", 0) ?? 0;
        var backoffMs = Number(flags.BackoffMs, "a number of milliseconds ≥ 0", v => v >= 0) ?? 500;
        var backoffMaxMs = Number(flags.BackoffMaxMs, "a number of milliseconds ≥ 0", v => v >= 0) ?? 30_000;
        var rpm = Number(flags.Rpm, "a positive number of requests per minute", v => v > 0);
        var tpm = Number(flags.Tpm, "a positive number of tokens per minute", v => v > 0);
        var inputTokens = Number(flags.InputTokens, "a number of tokens ≥ 0", v => v >= 0) ?? 0;
        var outputTokens = Number(flags.OutputTokens, "a number of tokens ≥ 0", v => v >= 0);
        var queueLimit = Whole(flags.QueueLimit, "a whole number ≥ 0", 0);
        var autoscaleMax = Whole(flags.AutoscaleMax, "a whole number of replicas ≥ 1", 1);
        var coldStart = Seconds(flags.ColdStart);
        var scaleDownIdle = Seconds(flags.ScaleDownIdle);
        var burstFactor = Number(flags.BurstFactor, "a positive multiplier such as 2", v => v > 0);
        var burstStart = Seconds(flags.BurstStart);
        var burstDuration = Seconds(flags.BurstDuration);
        var seed = 1UL;
        if (parse.GetValue(flags.Seed) is { } seedText
            && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
        {
            usage.Add($"--seed must be a whole number ≥ 0 (got '{seedText}').");
        }
        decimal? usdPerReplicaHour = null;
        if (parse.GetValue(flags.UsdPerReplicaHour) is { } priceText)
        {
            if (decimal.TryParse(priceText, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var price) && price >= 0)
            {
                usdPerReplicaHour = price;
            }
            else
            {
                usage.Add($"--usd-per-replica-hour must be a number of US dollars ≥ 0 (got '{priceText}').");
            }
        }
        var searchMax = Whole(flags.SearchMaxReplicas, "a whole number ≥ 1", 1) ?? 1024;
        var gpuCount = values.Whole(flags.GpuCount, "a whole number of GPUs per replica from 1 to 1024", 1, 1024);
        var gpu = parse.GetValue(flags.Gpu);
        if (usdPerReplicaHour is not null && gpu is not null)
        {
            usage.Add("Give --usd-per-replica-hour or --gpu (priced from the price catalog), not both.");
        }
        if (gpu is null && parse.GetValue(flags.GpuCount) is not null)
        {
            usage.Add("--gpu-count needs --gpu TYPE.");
        }

        SimulationTarget? target = null;
        if (parse.GetValue(flags.Target) is { } targetText)
        {
            target = SimulationTarget.TryParse(targetText, out var targetError);
            if (targetError is not null)
            {
                usage.Add(targetError);
            }
        }
        var findMin = parse.GetValue(flags.FindMinReplicas);
        if (findMin && parse.GetValue(flags.Target) is null)
        {
            usage.Add("--find-min-replicas needs --target, e.g. --target \"latencyP95Ms<=8000\".");
        }

        var format = parse.GetValue(flags.Format);
        var service = parse.GetValue(flags.Service)!.ToLowerInvariant();
        if (service is not ("exponential" or "measured"))
        {
            usage.Add($"--service must be exponential or measured (got '{parse.GetValue(flags.Service)}').");
        }
        var demandFile = parse.GetValue(flags.Demand);
        var replayFile = parse.GetValue(flags.Replay);
        var pointsFile = parse.GetValue(flags.Points);
        var files = parse.GetValue(flags.Files) ?? [];
        var routeText = parse.GetValue(flags.Route);
        var workload = parse.GetValue(flags.Workload);
        var model = parse.GetValue(flags.Model);
        var rowFlags = new List<string>();
        if (files.Length > 0) rowFlags.Add("FILE");
        if (parse.GetValue(flags.Ledger) is not null) rowFlags.Add("--ledger");
        if (routeText is not null) rowFlags.Add("--route");
        if (workload is not null) rowFlags.Add("--workload");
        if (model is not null) rowFlags.Add("--model");
        string? route = null;
        if (routeText is not null && !Routes.TryNormalize(routeText, out route))
        {
            usage.Add($"--route '{routeText}' is not one of: {string.Join(", ", Routes.All)} (or an alias).");
        }
        if (replayFile is not null && (rate is not null || demandFile is not null || parse.GetValue(flags.Burstiness) is not null || burstFactor is not null))
        {
            usage.Add("--replay replaces --rate, --burstiness, --demand and --burst-factor; give one or the other.");
        }
        else if (replayFile is null && rate is null && parse.GetValue(flags.Rate) is null)
        {
            usage.Add("Give an arrival rate with --rate (requests per second) or a file of request times with --replay.");
        }
        if (service == "exponential")
        {
            if (meanServiceMs is null && parse.GetValue(flags.MeanServiceMs) is null)
            {
                usage.Add("Exponential service needs --mean-service-ms, e.g. --mean-service-ms 1000.");
            }
            if (pointsFile is not null)
            {
                usage.Add("--points is for --service measured.");
            }
        }
        else if (service == "measured")
        {
            if (pointsFile is not null && rowFlags.Count > 0)
            {
                usage.Add($"Give --points FILE or trace rows ({string.Join(", ", rowFlags)}), not both.");
            }
            else if (pointsFile is null && (routeText is null || workload is null))
            {
                usage.Add(rowFlags.Count == 0
                    ? "Measured service needs --points FILE (a CSV with columns concurrency,ttftMs,outputTokensPerSecond,outputTokens) " +
                      "or trace rows: --route R --workload W [--model M], from FILE... or the ledger."
                    : "Measured service from trace rows needs both --route R and --workload W.");
            }
            if (parse.GetValue(flags.MeanServiceMs) is not null)
            {
                usage.Add("--mean-service-ms is for --service exponential; measured service takes its times from --points or trace rows.");
            }
        }
        if (service != "measured" && rowFlags.Count > 0)
        {
            usage.Add($"{string.Join(", ", rowFlags)} choose the trace rows of --service measured.");
        }
        if (parse.GetValue(flags.Catalog) is not null && gpu is null && rowFlags.Count == 0)
        {
            usage.Add("--catalog prices --gpu (or the GPUs named by trace rows); add --gpu TYPE.");
        }
        if (requests is not null && duration is not null)
        {
            usage.Add("Give --requests or --duration, not both.");
        }
        if (duration is 0)
        {
            usage.Add("--duration must be longer than 0.");
        }
        if (tpm is not null && service == "exponential" && outputTokens is null && inputTokens == 0)
        {
            usage.Add("--tpm needs the tokens per request: give --input-tokens and/or --output-tokens.");
        }
        if (autoscaleMax is not null && replicas is not null && autoscaleMax < replicas)
        {
            usage.Add($"--autoscale-max ({autoscaleMax}) must be at least --replicas, the floor ({replicas}).");
        }
        if ((coldStart is not null || scaleDownIdle is not null) && autoscaleMax is null)
        {
            usage.Add("--cold-start and --scale-down-idle apply to autoscaling; add --autoscale-max N.");
        }
        if ((burstStart is not null || burstDuration is not null) && burstFactor is null)
        {
            usage.Add("--burst-start and --burst-duration need --burst-factor.");
        }

        Warmup warmup = Core.Simulation.Warmup.OfFraction(0.1);
        if (parse.GetValue(flags.Warmup) is { } warmupText)
        {
            var w = warmupText.Trim();
            if (w.EndsWith('%')
                && double.TryParse(w[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
                && percent is >= 0 and < 100)
            {
                warmup = Core.Simulation.Warmup.OfFraction(percent / 100.0);
            }
            else if (!w.EndsWith('%') && SimulationInputs.TryParseDurationSeconds(w, out var warmupSeconds))
            {
                warmup = Core.Simulation.Warmup.OfSeconds(warmupSeconds);
                if (duration is { } d && warmupSeconds >= d)
                {
                    usage.Add("--warmup must be shorter than --duration.");
                }
            }
            else
            {
                usage.Add($"--warmup must be a share of the run below 100% (e.g. 10%) or a time (e.g. 15m) (got '{warmupText}').");
            }
        }
        if (usage.Count > 0)
        {
            return null;
        }

        // Files: a missing or unreadable file is an I/O failure (3); bad content is invalid input (1).
        var messages = new List<string>();
        var ioFailed = false;
        T? ReadFile<T>(FileInfo file, Func<TextReader, InputReadResult<T>> read) where T : class
        {
            try
            {
                using var reader = new StreamReader(file.FullName, detectEncodingFromByteOrderMarks: true);
                var result = read(reader);
                messages.AddRange(result.Problems.Select(p => p.ToSentence(file.Name)));
                return result.IsValid ? result.Value : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ioFailed = true;
                messages.Add($"cannot read {file.FullName}: {ex.Message}");
                return null;
            }
        }
        var hourly = demandFile is null ? null : ReadFile(demandFile, SimulationInputs.ReadDemandShape);
        var replayTimes = replayFile is null ? null : ReadFile(replayFile, SimulationInputs.ReadReplayTimes);
        var points = pointsFile is null ? null : ReadFile(pointsFile, SimulationInputs.ReadMeasuredPoints);
        if (messages.Count > 0)
        {
            failure = new InputFailure(ioFailed ? ExitCodes.Environment : ExitCodes.Invalid, messages);
            return null;
        }
        RowsService? rows = null;
        if (service == "measured" && pointsFile is null)
        {
            rows = SimulationSources.LoadRows(files, parse.GetValue(flags.Ledger), route!, workload!, model,
                parse.GetValue(flags.OutputTokensCv) is null ? null : outputTokensCv, context, out var rowsExit);
            if (rows is null)
            {
                failure = new InputFailure(rowsExit, []);
                return null;
            }
        }
        Core.Procurement.CapacityPlan? capacityPlan = null;
        if (parse.GetValue(flags.Profile) is { } profilePath)
        {
            var buyer = ProfileInputs.Load(profilePath, context, out var profileExit);
            if (buyer is null)
            {
                failure = new InputFailure(profileExit, []);
                return null;
            }
            capacityPlan = buyer.Profile.Capacity;
        }
        var measuredMax = service == "measured" ? (rows?.Service.Service ?? new MeasuredService(points!, outputTokensCv)).MaxMeasuredConcurrency : 1;
        var replica = SimulationSources.Replica(gpu, (int?)gpuCount, rows, route, (int)(maxConcurrency ?? measuredMax),
            maxConcurrency is not null ? "--max-concurrency" : service == "measured" ? "the highest measured concurrency" : "one request per replica (exponential service)", capacityPlan);
        var replicaPrice = SimulationSources.ResolvePrice(usdPerReplicaHour, gpu, replica, parse.GetValue(flags.Catalog), rows, context,
            out var priceMissing, out var priceExit);
        if (priceExit != ExitCodes.Success)
        {
            failure = new InputFailure(priceExit, []);
            return null;
        }

        ArrivalProcess arrivals;
        if (replayTimes is not null)
        {
            arrivals = new ReplayArrivals(replayTimes);
        }
        else
        {
            RateProfile? profile = null;
            if (hourly is not null || burstFactor is not null)
            {
                profile = new RateProfile
                {
                    HourlyMultipliers = hourly,
                    Burst = burstFactor is { } f ? new RateBurst(f, burstStart ?? 0, burstDuration ?? 600) : null,
                };
            }
            arrivals = new RenewalArrivals(rate!.Value, burstiness, profile);
        }

        ServiceTimeModel serviceModel = service == "measured"
            ? rows?.Service.Service ?? new MeasuredService(points!, outputTokensCv)
            : new ExponentialService(meanServiceMs!.Value);
        var wantedSlots = (int)(maxConcurrency ?? (serviceModel is MeasuredService m ? m.MaxMeasuredConcurrency : 1));
        // fit's sessions per replica cap what one replica serves at once: memory, not the benchmark, sets the ceiling.
        var slots = replica?.CapConcurrency(wantedSlots) ?? wantedSlots;
        var floor = (int)(replicas ?? 1);

        RunLength length = duration is { } seconds
            ? RunLength.OfDuration(seconds)
            : RunLength.OfRequests(requests ?? (replayTimes is not null ? replayTimes.Count : 1_000_000));

        RateLimitPolicy? rateLimit = null;
        if (rpm is not null || tpm is not null)
        {
            var tokensOut = outputTokens ?? (serviceModel is MeasuredService ms ? ms.At(slots).OutputTokens : 0);
            rateLimit = new RateLimitPolicy { RequestsPerMinute = rpm, TokensPerMinute = tpm, TokensPerRequest = inputTokens + tokensOut };
        }

        var config = new SimulationConfig
        {
            Arrivals = arrivals,
            Service = serviceModel,
            Replicas = floor,
            MaxConcurrencyPerReplica = slots,
            Length = length,
            Warmup = warmup,
            Client = new ClientPolicy
            {
                TimeoutMs = timeoutMs,
                MaxRetries = (int)Math.Min(retries, 1000),
                BackoffBaseMs = backoffMs,
                BackoffMaxMs = backoffMaxMs,
                ServerCancelsOnTimeout = parse.GetValue(flags.CancelOnTimeout),
            },
            RateLimit = rateLimit,
            Autoscaler = autoscaleMax is { } max
                ? new AutoscalerPolicy
                {
                    FloorReplicas = floor,
                    MaxReplicas = (int)max,
                    ColdStartSeconds = coldStart ?? 60,
                    ScaleDownIdleSeconds = scaleDownIdle ?? 300,
                }
                : null,
            QueueLimit = queueLimit,
            Seed = seed,
        };
        return new SimulationPlan(config, format, target, findMin, (int)Math.Min(searchMax, int.MaxValue),
            replicaPrice, priceMissing, demandFile?.Name, replayFile?.Name, pointsFile?.Name, rows?.Source, replica, wantedSlots);
    }
}

/// <summary>A parsed <c>simulate</c> invocation.</summary>
internal sealed record SimulationPlan(
    SimulationConfig Config,
    OutputFormat Format,
    SimulationTarget? Target,
    bool FindMinReplicas,
    int SearchMaxReplicas,
    ReplicaHourPrice? Price,
    string? PriceMissingReason,
    string? DemandFile,
    string? ReplayFile,
    string? PointsFile,
    SimulationRowsSource? Rows,
    InferCost.Core.Sizing.ReplicaShape? Replica,
    int WantedConcurrencyPerReplica);

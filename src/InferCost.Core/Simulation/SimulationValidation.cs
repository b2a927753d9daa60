namespace InferCost.Core.Simulation;

/// <summary>Checks a <see cref="SimulationConfig"/> and says what is wrong, one sentence per problem.</summary>
public static class SimulationValidation
{
    public static IReadOnlyList<string> Validate(SimulationConfig config)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
        static bool Positive(double v) => double.IsFinite(v) && v > 0;
        static bool NonNegative(double v) => double.IsFinite(v) && v >= 0;

        switch (config.Arrivals)
        {
            case RenewalArrivals renewal:
                Check(Positive(renewal.RatePerSecond), $"The arrival rate must be a positive number of requests per second (got {renewal.RatePerSecond}).");
                Check(Positive(renewal.Shape), $"The burstiness (gamma shape) must be positive (got {renewal.Shape}).");
                if (renewal.Profile?.HourlyMultipliers is { } hours)
                {
                    Check(hours.Count == 24, $"The hourly demand shape needs 24 values, one per hour (got {hours.Count}).");
                    Check(hours.All(NonNegative), "Every hourly demand multiplier must be a finite number ≥ 0.");
                    Check(hours.Any(h => h > 0), "At least one hourly demand multiplier must be above 0.");
                }
                if (renewal.Profile?.Burst is { } burst)
                {
                    Check(Positive(burst.Factor), $"The burst factor must be positive (got {burst.Factor}).");
                    Check(NonNegative(burst.StartSeconds), "The burst must start at or after time 0.");
                    Check(NonNegative(burst.DurationSeconds), "The burst duration must be ≥ 0.");
                }
                break;
            case ReplayArrivals replay:
                Check(replay.TimesSeconds.Count > 0, "The replay has no request times.");
                for (var i = 0; i < replay.TimesSeconds.Count; i++)
                {
                    var t = replay.TimesSeconds[i];
                    if (!NonNegative(t) || (i > 0 && t < replay.TimesSeconds[i - 1]))
                    {
                        problems.Add($"Replay times must be finite, ≥ 0 and ascending (time #{i + 1} is {t}).");
                        break;
                    }
                }
                break;
        }

        switch (config.Service)
        {
            case ExponentialService exponential:
                Check(Positive(exponential.MeanServiceMs), $"The mean service time must be a positive number of milliseconds (got {exponential.MeanServiceMs}).");
                break;
            case MeasuredService measured:
                Check(double.IsFinite(measured.OutputTokensCv) && measured.OutputTokensCv >= 0, "The output-token coefficient of variation must be ≥ 0.");
                foreach (var p in measured.Points)
                {
                    Check(p.Concurrency >= 1, $"A measured point has concurrency {p.Concurrency}; it must be at least 1.");
                    Check(NonNegative(p.TtftMs), $"The measured point at concurrency {p.Concurrency} has TTFT {p.TtftMs} ms; it must be ≥ 0.");
                    Check(Positive(p.OutputTokensPerSecond), $"The measured point at concurrency {p.Concurrency} has {p.OutputTokensPerSecond} output tokens/s; it must be > 0.");
                    Check(NonNegative(p.OutputTokens), $"The measured point at concurrency {p.Concurrency} has {p.OutputTokens} output tokens; it must be ≥ 0.");
                }
                Check(measured.Points.Select(p => p.Concurrency).Distinct().Count() == measured.Points.Count, "Two measured points have the same concurrency.");
                break;
        }

        Check(config.MaxConcurrencyPerReplica >= 1, $"The concurrency per replica must be at least 1 (got {config.MaxConcurrencyPerReplica}).");
        if (config.Autoscaler is { } auto)
        {
            Check(auto.FloorReplicas >= 0, $"The autoscaling floor must be ≥ 0 (got {auto.FloorReplicas}).");
            Check(auto.MaxReplicas >= Math.Max(1, auto.FloorReplicas), $"The autoscaling maximum ({auto.MaxReplicas}) must be at least the floor ({auto.FloorReplicas}) and at least 1.");
            Check(NonNegative(auto.ColdStartSeconds), "The cold start must be ≥ 0 seconds.");
            Check(NonNegative(auto.ScaleDownIdleSeconds), "The scale-down idle time must be ≥ 0 seconds.");
        }
        else
        {
            Check(config.Replicas >= 1, $"At least one replica is needed (got {config.Replicas}).");
        }

        if (config.Length.Requests is { } n)
        {
            Check(n >= 1, $"The run needs at least one request (got {n}).");
        }
        if (config.Length.DurationSeconds is { } d)
        {
            Check(Positive(d), "The run duration must be positive.");
        }
        if (config.Warmup.Fraction is { } f)
        {
            Check(double.IsFinite(f) && f >= 0 && f < 1, $"The warm-up fraction must be in [0, 1) (got {f}).");
        }
        if (config.Warmup.Seconds is { } w)
        {
            Check(NonNegative(w), "The warm-up must be ≥ 0 seconds.");
            if (config.Length.DurationSeconds is { } duration)
            {
                Check(w < duration, "The warm-up must be shorter than the run.");
            }
        }

        var client = config.Client;
        if (client.TimeoutMs is { } timeout)
        {
            Check(Positive(timeout), $"The timeout must be a positive number of milliseconds (got {timeout}).");
        }
        Check(client.MaxRetries >= 0, $"Retries must be ≥ 0 (got {client.MaxRetries}).");
        Check(NonNegative(client.BackoffBaseMs), "The backoff base must be ≥ 0 ms.");
        Check(NonNegative(client.BackoffMaxMs), "The backoff cap must be ≥ 0 ms.");

        if (config.RateLimit is { } limit)
        {
            if (limit.RequestsPerMinute is { } rpm)
            {
                Check(Positive(rpm), $"The requests-per-minute limit must be positive (got {rpm}).");
            }
            if (limit.TokensPerMinute is { } tpm)
            {
                Check(Positive(tpm), $"The tokens-per-minute limit must be positive (got {tpm}).");
                Check(Positive(limit.TokensPerRequest), "A tokens-per-minute limit needs the tokens per request (input plus output) to be positive.");
                Check(limit.TokensPerRequest <= tpm, $"A request of {limit.TokensPerRequest} tokens can never fit a limit of {tpm} tokens per minute.");
            }
        }
        if (config.QueueLimit is { } q)
        {
            Check(q >= 0, $"The queue limit must be ≥ 0 (got {q}).");
        }
        Check(config.ExactPercentileLimit >= 0, "The exact-percentile sample limit must be ≥ 0.");
        return problems;
    }
}

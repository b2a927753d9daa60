using System.Globalization;

namespace InferCost.Core.Simulation;

/// <summary>The discrete-event capacity simulator. A shared FIFO queue feeds replicas with
/// <see cref="SimulationConfig.MaxConcurrencyPerReplica"/> slots each (with one slot: the M/M/c queue when arrivals
/// are Poisson and service exponential). Deterministic per seed; runs on the calling thread; memory is bounded by
/// the requests in flight plus the percentile estimators, not by run length. Thread-safe (each call owns its state).</summary>
public static class Simulator
{
    /// <summary>Runs one scenario. Throws <see cref="ArgumentException"/> when <paramref name="config"/> is
    /// invalid; call <see cref="SimulationValidation.Validate"/> first to get the problems as sentences.</summary>
    public static SimulationResult Run(SimulationConfig config)
    {
        var problems = SimulationValidation.Validate(config);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(config));
        }
        return new SimulationRun(config).Execute();
    }
}

/// <summary>The mutable state of one run. Not thread-safe; used once.</summary>
internal sealed class SimulationRun
{
    private enum AttemptStatus : byte
    {
        Queued,
        InService,
        /// <summary>The client gave up; the server does not know and serves it anyway.</summary>
        Abandoned,
        /// <summary>The client gave up and the server dropped it.</summary>
        Cancelled,
    }

    private struct Request
    {
        public double ArrivalTime;
        public int AttemptsSent;
        public int Generation;
        public bool Measured;
    }

    private struct Attempt
    {
        public double SendTime;
        public double FirstTokenTime;
        public double Unit;
        public int RequestId;
        public int Replica;
        public int Generation;
        public AttemptStatus Status;
        public bool Measured;
    }

    private readonly SimulationConfig _config;
    private readonly ServiceTimeModel _service;
    private readonly ClientPolicy _client;
    private readonly AutoscalerPolicy? _autoscaler;
    private readonly int _maxConcurrency;
    private readonly long _queueLimit;
    private readonly double _timeoutSeconds;
    private readonly bool _hasTimeout;
    private readonly bool _recordTtft;

    private Xoshiro256StarStar _arrivalRng;
    private Xoshiro256StarStar _serviceRng;
    private Xoshiro256StarStar _clientRng;

    private readonly EventQueue _events = new();
    private readonly ArrivalStream _arrivals;
    private readonly ReplicaPool _pool;

    private Request[] _requests = new Request[256];
    private int[] _freeRequests = new int[256];
    private int _freeRequestCount;
    private int _requestHighWater;

    private Attempt[] _attempts = new Attempt[256];
    private int[] _freeAttempts = new int[256];
    private int _freeAttemptCount;
    private int _attemptHighWater;

    // FIFO ring of attempt ids; cancelled entries stay until they reach the head.
    private int[] _queue = new int[256];
    private int _queueHead;
    private int _queueCount;
    private long _queueLive;

    // Arrival bookkeeping.
    private readonly long _requestLimit;
    private readonly double _durationLimit;
    private readonly long _warmupCount;
    private long _generated;
    private double _lastArrival;

    // Measured window and time integrals.
    private double _windowStart;
    private double _windowEnd = double.PositiveInfinity;
    private double _lastTime;
    private double _busySlotSeconds;
    private double _provisionedSlotSeconds;
    private double _replicaSeconds;

    private int _provisioned;
    private int _starting;
    private int _nextReplicaId;
    private readonly Stack<int> _retiredReplicaIds = new();
    private int _peakReplicas;
    private long _peakQueue;

    // Rate-limit buckets.
    private readonly bool _hasRpm;
    private readonly bool _hasTpm;
    private readonly double _rpmCapacity;
    private readonly double _tpmCapacity;
    private readonly double _tokensPerRequest;
    private double _rpmLevel;
    private double _tpmLevel;
    private double _bucketTime;

    // Counters over measured requests.
    private long _arrivalsMeasured;
    private long _completed;
    private long _timedOut;
    private long _rejected;
    private long _attemptsMeasured;
    private long _retries;
    private long _refusals;
    private long _wasted;
    private long _served;
    private long _waited;
    private long _warmupRequests;

    private readonly StreamingPercentiles _wait;
    private readonly StreamingPercentiles _latency;
    private readonly StreamingPercentiles _ttft;

    public SimulationRun(SimulationConfig config)
    {
        _config = config;
        _service = config.Service;
        _client = config.Client;
        _autoscaler = config.Autoscaler;
        _maxConcurrency = config.MaxConcurrencyPerReplica;
        _queueLimit = config.QueueLimit ?? long.MaxValue;
        _hasTimeout = config.Client.TimeoutMs is not null;
        _timeoutSeconds = (config.Client.TimeoutMs ?? 0) / 1000.0;
        _recordTtft = config.Service.HasFirstToken;

        _arrivalRng = Xoshiro256StarStar.ForStream(config.Seed, 0);
        _serviceRng = Xoshiro256StarStar.ForStream(config.Seed, 1);
        _clientRng = Xoshiro256StarStar.ForStream(config.Seed, 2);
        _arrivals = config.Arrivals.Open();

        _requestLimit = config.Length.Requests ?? long.MaxValue;
        _durationLimit = config.Length.DurationSeconds ?? double.PositiveInfinity;
        if (config.Warmup.Seconds is { } warmupSeconds)
        {
            _windowStart = warmupSeconds;
            _warmupCount = -1;
        }
        else if (config.Length.Requests is { } n)
        {
            _warmupCount = (long)Math.Floor(config.Warmup.Fraction!.Value * n);
            _windowStart = _warmupCount > 0 ? double.PositiveInfinity : 0.0;
        }
        else
        {
            _windowStart = config.Warmup.Fraction!.Value * _durationLimit;
            _warmupCount = -1;
        }
        if (config.Length.DurationSeconds is { } duration)
        {
            _windowEnd = duration;
        }

        var initialReplicas = config.Autoscaler?.FloorReplicas ?? config.Replicas;
        _pool = new ReplicaPool(_maxConcurrency, Math.Max(initialReplicas, config.Autoscaler?.MaxReplicas ?? 0));
        for (var i = 0; i < initialReplicas; i++)
        {
            _pool.Add(_nextReplicaId++);
        }
        _provisioned = initialReplicas;
        _peakReplicas = initialReplicas;

        if (config.RateLimit is { } limit)
        {
            _hasRpm = limit.RequestsPerMinute is not null;
            _hasTpm = limit.TokensPerMinute is not null;
            _rpmCapacity = limit.RequestsPerMinute ?? 0;
            _tpmCapacity = limit.TokensPerMinute ?? 0;
            _rpmLevel = _rpmCapacity;
            _tpmLevel = _tpmCapacity;
            _tokensPerRequest = limit.TokensPerRequest;
        }

        var exactLimit = config.ExactPercentileLimit;
        _wait = new StreamingPercentiles(exactLimit);
        _latency = new StreamingPercentiles(exactLimit);
        _ttft = new StreamingPercentiles(_recordTtft ? exactLimit : 0);
    }

    public SimulationResult Execute()
    {
        var nextArrival = NextArrivalTime();
        while (true)
        {
            var nextEvent = _events.PeekTime;
            if (nextArrival < nextEvent)
            {
                OnArrival(nextArrival);
                nextArrival = NextArrivalTime();
                if (double.IsPositiveInfinity(nextArrival) && double.IsPositiveInfinity(_windowEnd))
                {
                    _windowEnd = _lastArrival;
                }
                continue;
            }
            if (double.IsPositiveInfinity(nextEvent))
            {
                break;
            }
            var e = _events.Pop();
            Advance(e.Time);
            switch (e.Kind)
            {
                case EventKind.Departure:
                    OnDeparture(e.Id, e.Generation, e.Time);
                    break;
                case EventKind.Timeout:
                    OnTimeout(e.Id, e.Generation, e.Time);
                    break;
                case EventKind.Retry:
                    if (_requests[e.Id].Generation == e.Generation)
                    {
                        SendAttempt(e.Id, e.Time);
                    }
                    break;
                case EventKind.ReplicaReady:
                    OnReplicaReady(e.Id, e.Time);
                    break;
                case EventKind.ScaleDownCheck:
                    OnScaleDownCheck(e.Id, e.Generation);
                    break;
            }
        }
        if (double.IsPositiveInfinity(_windowEnd))
        {
            _windowEnd = _lastArrival;
        }
        return BuildResult();
    }

    private double NextArrivalTime()
    {
        if (_generated >= _requestLimit)
        {
            return double.PositiveInfinity;
        }
        var t = _arrivals.Next(ref _arrivalRng);
        return t > _durationLimit ? double.PositiveInfinity : t;
    }

    /// <summary>Integrates the time-weighted counters over the part of [last, now] inside the measured window.</summary>
    private void Advance(double now)
    {
        var from = _lastTime > _windowStart ? _lastTime : _windowStart;
        var to = now < _windowEnd ? now : _windowEnd;
        if (to > from)
        {
            var dt = to - from;
            _busySlotSeconds += _pool.BusySlots * dt;
            _provisionedSlotSeconds += (double)_provisioned * _maxConcurrency * dt;
            _replicaSeconds += _provisioned * dt;
        }
        _lastTime = now;
    }

    private void OnArrival(double now)
    {
        Advance(now);
        var index = _generated++;
        _lastArrival = now;
        if (index == _warmupCount)
        {
            _windowStart = now;
        }
        var measured = _warmupCount >= 0 ? index >= _warmupCount : now >= _windowStart;
        var id = AllocateRequest();
        ref var r = ref _requests[id];
        r.ArrivalTime = now;
        r.AttemptsSent = 0;
        r.Measured = measured;
        if (measured)
        {
            _arrivalsMeasured++;
        }
        else
        {
            _warmupRequests++;
        }
        SendAttempt(id, now);
    }

    private void SendAttempt(int requestId, double now)
    {
        ref var r = ref _requests[requestId];
        r.AttemptsSent++;
        var measured = r.Measured;
        if (measured)
        {
            _attemptsMeasured++;
        }
        if ((_hasRpm || _hasTpm) && !TryTakeRateTokens(now, out var retryAfter))
        {
            if (measured)
            {
                _refusals++;
            }
            OnAttemptFailed(requestId, now, retryAfter, timedOut: false);
            return;
        }
        var hasSlot = _pool.FreeSlots > 0;
        if (!hasSlot && _queueLive >= _queueLimit)
        {
            if (measured)
            {
                _refusals++;
            }
            OnAttemptFailed(requestId, now, 0.0, timedOut: false);
            return;
        }
        var unit = _service.DrawUnit(ref _serviceRng);
        var id = AllocateAttempt();
        ref var a = ref _attempts[id];
        a.RequestId = requestId;
        a.SendTime = now;
        a.Unit = unit;
        a.Measured = measured;
        a.Status = AttemptStatus.Queued; // recycled slots keep their last status otherwise
        if (hasSlot)
        {
            _pool.TryAcquire(out var replica);
            StartService(id, replica, now);
        }
        else
        {
            Enqueue(id);
            _queueLive++;
            if (_queueLive > _peakQueue && now >= _windowStart)
            {
                _peakQueue = _queueLive;
            }
            MaybeScaleUp(now);
        }
        if (_hasTimeout)
        {
            _events.Push(now + _timeoutSeconds, EventKind.Timeout, id, _attempts[id].Generation);
        }
    }

    private void StartService(int attemptId, int replica, double now)
    {
        ref var a = ref _attempts[attemptId];
        if (a.Status != AttemptStatus.Abandoned)
        {
            a.Status = AttemptStatus.InService;
        }
        a.Replica = replica;
        var sample = _service.Sample(a.Unit, _pool.Load(replica));
        a.FirstTokenTime = now + sample.FirstTokenSeconds;
        if (a.Measured)
        {
            var wait = now - a.SendTime;
            _served++;
            if (wait > 0)
            {
                _waited++;
            }
            _wait.Add(wait * 1000.0);
        }
        _events.Push(now + sample.ServiceSeconds, EventKind.Departure, attemptId, a.Generation);
    }

    private void OnDeparture(int attemptId, int generation, double now)
    {
        ref var a = ref _attempts[attemptId];
        if (a.Generation != generation)
        {
            return;
        }
        var status = a.Status;
        if (status == AttemptStatus.Cancelled)
        {
            // Its slot was released when the client gave up.
            FreeAttempt(attemptId);
            return;
        }
        var replica = a.Replica;
        if (status == AttemptStatus.InService)
        {
            var requestId = a.RequestId;
            ref var r = ref _requests[requestId];
            if (r.Measured)
            {
                _completed++;
                _retries += r.AttemptsSent - 1;
                _latency.Add((now - r.ArrivalTime) * 1000.0);
                if (_recordTtft)
                {
                    _ttft.Add((a.FirstTokenTime - r.ArrivalTime) * 1000.0);
                }
            }
            FreeRequest(requestId);
        }
        else if (a.Measured)
        {
            _wasted++;
        }
        FreeAttempt(attemptId);
        ReleaseSlot(replica, now);
    }

    private void OnTimeout(int attemptId, int generation, double now)
    {
        ref var a = ref _attempts[attemptId];
        if (a.Generation != generation || a.Status is AttemptStatus.Abandoned or AttemptStatus.Cancelled)
        {
            return;
        }
        var requestId = a.RequestId;
        if (_client.ServerCancelsOnTimeout)
        {
            if (a.Status == AttemptStatus.Queued)
            {
                a.Status = AttemptStatus.Cancelled;
                _queueLive--;
            }
            else
            {
                a.Status = AttemptStatus.Cancelled;
                ReleaseSlot(a.Replica, now);
            }
        }
        else
        {
            a.Status = AttemptStatus.Abandoned;
        }
        OnAttemptFailed(requestId, now, 0.0, timedOut: true);
    }

    /// <summary>The client lost an attempt (timeout, 429, 503): retry after backoff (at least the retry-after) or give up.</summary>
    private void OnAttemptFailed(int requestId, double now, double retryAfterSeconds, bool timedOut)
    {
        ref var r = ref _requests[requestId];
        var retryNumber = r.AttemptsSent;
        if (retryNumber <= _client.MaxRetries)
        {
            var delay = Math.Max(retryAfterSeconds, _client.BackoffSeconds(retryNumber, ref _clientRng));
            _events.Push(now + delay, EventKind.Retry, requestId, r.Generation);
            return;
        }
        if (r.Measured)
        {
            _retries += r.AttemptsSent - 1;
            if (timedOut)
            {
                _timedOut++;
            }
            else
            {
                _rejected++;
            }
        }
        FreeRequest(requestId);
    }

    private void ReleaseSlot(int replica, double now)
    {
        _pool.Release(replica);
        while (_queueLive > 0 && _pool.FreeSlots > 0)
        {
            var next = DequeueLive();
            _pool.TryAcquire(out var target);
            StartService(next, target, now);
        }
        if (_autoscaler is not null && _pool.Load(replica) == 0)
        {
            ScheduleScaleDown(replica, now);
        }
    }

    private int DequeueLive()
    {
        while (true)
        {
            var id = _queue[_queueHead];
            _queueHead = (_queueHead + 1) & (_queue.Length - 1);
            _queueCount--;
            if (_attempts[id].Status == AttemptStatus.Cancelled)
            {
                FreeAttempt(id);
                continue;
            }
            _queueLive--;
            return id;
        }
    }

    private void Enqueue(int attemptId)
    {
        if (_queueCount == _queue.Length)
        {
            // Unroll the ring into a buffer twice the size (lengths stay powers of two).
            var bigger = new int[_queue.Length * 2];
            var firstPart = _queue.Length - _queueHead;
            Array.Copy(_queue, _queueHead, bigger, 0, firstPart);
            Array.Copy(_queue, 0, bigger, firstPart, _queueHead);
            _queue = bigger;
            _queueHead = 0;
        }
        _queue[(_queueHead + _queueCount) & (_queue.Length - 1)] = attemptId;
        _queueCount++;
    }

    private bool TryTakeRateTokens(double now, out double retryAfterSeconds)
    {
        var elapsed = now - _bucketTime;
        _bucketTime = now;
        if (_hasRpm)
        {
            _rpmLevel = Math.Min(_rpmCapacity, _rpmLevel + elapsed * _rpmCapacity / 60.0);
        }
        if (_hasTpm)
        {
            _tpmLevel = Math.Min(_tpmCapacity, _tpmLevel + elapsed * _tpmCapacity / 60.0);
        }
        var rpmOk = !_hasRpm || _rpmLevel >= 1.0;
        var tpmOk = !_hasTpm || _tpmLevel >= _tokensPerRequest;
        if (rpmOk && tpmOk)
        {
            if (_hasRpm)
            {
                _rpmLevel -= 1.0;
            }
            if (_hasTpm)
            {
                _tpmLevel -= _tokensPerRequest;
            }
            retryAfterSeconds = 0;
            return true;
        }
        retryAfterSeconds = Math.Max(
            rpmOk ? 0 : (1.0 - _rpmLevel) * 60.0 / _rpmCapacity,
            tpmOk ? 0 : (_tokensPerRequest - _tpmLevel) * 60.0 / _tpmCapacity);
        return false;
    }

    private void MaybeScaleUp(double now)
    {
        if (_autoscaler is null || _provisioned >= _autoscaler.MaxReplicas
            || _queueLive <= (long)_starting * _maxConcurrency)
        {
            return;
        }
        var id = _retiredReplicaIds.Count > 0 ? _retiredReplicaIds.Pop() : _nextReplicaId++;
        _starting++;
        _provisioned++;
        if (_provisioned > _peakReplicas && now >= _windowStart)
        {
            _peakReplicas = _provisioned;
        }
        _events.Push(now + _autoscaler.ColdStartSeconds, EventKind.ReplicaReady, id, 0);
    }

    private void OnReplicaReady(int replica, double now)
    {
        _starting--;
        _pool.Add(replica);
        while (_queueLive > 0 && _pool.FreeSlots > 0)
        {
            var next = DequeueLive();
            _pool.TryAcquire(out var target);
            StartService(next, target, now);
        }
        if (_pool.Load(replica) == 0)
        {
            ScheduleScaleDown(replica, now);
        }
    }

    private void ScheduleScaleDown(int replica, double now)
    {
        if (_provisioned > _autoscaler!.FloorReplicas)
        {
            _events.Push(now + _autoscaler.ScaleDownIdleSeconds, EventKind.ScaleDownCheck, replica, _pool.Epoch(replica));
        }
    }

    private void OnScaleDownCheck(int replica, int epoch)
    {
        if (_pool.IsActive(replica) && _pool.Load(replica) == 0 && _pool.Epoch(replica) == epoch
            && _provisioned > _autoscaler!.FloorReplicas)
        {
            _pool.Remove(replica);
            _retiredReplicaIds.Push(replica);
            _provisioned--;
        }
    }

    private int AllocateRequest()
    {
        if (_freeRequestCount > 0)
        {
            return _freeRequests[--_freeRequestCount];
        }
        if (_requestHighWater == _requests.Length)
        {
            Array.Resize(ref _requests, _requests.Length * 2);
        }
        return _requestHighWater++;
    }

    private void FreeRequest(int id)
    {
        _requests[id].Generation++;
        if (_freeRequestCount == _freeRequests.Length)
        {
            Array.Resize(ref _freeRequests, _freeRequests.Length * 2);
        }
        _freeRequests[_freeRequestCount++] = id;
    }

    private int AllocateAttempt()
    {
        if (_freeAttemptCount > 0)
        {
            return _freeAttempts[--_freeAttemptCount];
        }
        if (_attemptHighWater == _attempts.Length)
        {
            Array.Resize(ref _attempts, _attempts.Length * 2);
        }
        return _attemptHighWater++;
    }

    private void FreeAttempt(int id)
    {
        _attempts[id].Generation++;
        if (_freeAttemptCount == _freeAttempts.Length)
        {
            Array.Resize(ref _freeAttempts, _freeAttempts.Length * 2);
        }
        _freeAttempts[_freeAttemptCount++] = id;
    }

    private SimulationResult BuildResult()
    {
        var reasons = new SortedDictionary<string, string>(StringComparer.Ordinal);
        const string NoServed = "no measured request started service";
        const string NoCompleted = "no measured request completed";
        double? Q(StreamingPercentiles p, double q, string name, string reason)
        {
            var v = p.Quantile(q);
            if (v is null)
            {
                reasons[name] = reason;
            }
            return v;
        }

        // Client-side percentiles rank failed requests above every answer: "95% answered within X" is false when
        // more than 5% never got an answer, however fast the lucky ones were.
        var failed = _timedOut + _rejected;
        double? Client(StreamingPercentiles p, double q, string name)
        {
            var v = p.QuantileWithFailuresAbove(q, p.Count + failed);
            if (v is null)
            {
                reasons[name] = p.Count + failed == 0
                    ? NoCompleted
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{(double)failed / (p.Count + failed):P2} of measured requests failed (timed out or rejected), so the p{q * 100:0} is beyond any answer");
            }
            return v;
        }

        double? waitProbability = _served > 0 ? (double)_waited / _served : null;
        if (waitProbability is null)
        {
            reasons["waitProbability"] = NoServed;
            reasons["queueWaitMeanMs"] = NoServed;
        }
        if (_latency.Count == 0)
        {
            reasons["latencyMeanMs"] = NoCompleted;
        }
        double? successRate = _arrivalsMeasured > 0 ? (double)_completed / _arrivalsMeasured : null;
        if (successRate is null)
        {
            reasons["successRate"] = "no request arrived in the measured window";
        }

        double?[] ttft = [null, null, null];
        if (_recordTtft)
        {
            ttft = [Client(_ttft, 0.50, "ttftP50Ms"), Client(_ttft, 0.95, "ttftP95Ms"), Client(_ttft, 0.99, "ttftP99Ms")];
        }
        else
        {
            const string NoSplit = "the exponential service model has no first-token split; use measured service";
            reasons["ttftP50Ms"] = NoSplit;
            reasons["ttftP95Ms"] = NoSplit;
            reasons["ttftP99Ms"] = NoSplit;
        }

        var windowStart = double.IsPositiveInfinity(_windowStart) ? _windowEnd : _windowStart;
        var measuredSeconds = Math.Max(0.0, _windowEnd - windowStart);
        double? utilization = _provisionedSlotSeconds > 0 ? _busySlotSeconds / _provisionedSlotSeconds : null;
        double? meanReplicas = measuredSeconds > 0 ? _replicaSeconds / measuredSeconds : null;
        if (utilization is null)
        {
            reasons["utilization"] = "the measured window is empty or had no provisioned replicas";
        }
        if (meanReplicas is null)
        {
            reasons["meanReplicas"] = "the measured window is empty";
        }

        var methods = new[] { _wait.Method, _latency.Method, _ttft.Method };
        return new SimulationResult
        {
            Replicas = _config.Replicas,
            MaxConcurrencyPerReplica = _maxConcurrency,
            Seed = _config.Seed,
            Arrivals = _arrivalsMeasured,
            Completed = _completed,
            TimedOut = _timedOut,
            Rejected = _rejected,
            Attempts = _attemptsMeasured,
            Retries = _retries,
            Refusals = _refusals,
            WastedAttempts = _wasted,
            RetriesPerRequest = _arrivalsMeasured > 0 ? (double)_retries / _arrivalsMeasured : 0.0,
            SuccessRate = successRate,
            WaitProbability = waitProbability,
            QueueWaitMeanMs = _wait.Mean,
            QueueWaitP50Ms = Q(_wait, 0.50, "queueWaitP50Ms", NoServed),
            QueueWaitP95Ms = Q(_wait, 0.95, "queueWaitP95Ms", NoServed),
            QueueWaitP99Ms = Q(_wait, 0.99, "queueWaitP99Ms", NoServed),
            LatencyMeanMs = _latency.Mean,
            LatencyP50Ms = Client(_latency, 0.50, "latencyP50Ms"),
            LatencyP95Ms = Client(_latency, 0.95, "latencyP95Ms"),
            LatencyP99Ms = Client(_latency, 0.99, "latencyP99Ms"),
            TtftP50Ms = ttft[0],
            TtftP95Ms = ttft[1],
            TtftP99Ms = ttft[2],
            Utilization = utilization,
            PeakQueueDepth = _peakQueue,
            ReplicaHours = _replicaSeconds / 3600.0,
            MeanReplicas = meanReplicas,
            PeakReplicas = _peakReplicas,
            WarmupSeconds = windowStart,
            WarmupRequests = _warmupRequests,
            MeasuredSeconds = measuredSeconds,
            SimulatedSeconds = _lastTime,
            PercentileMethod = methods.Contains(PercentileMethod.Sketch) ? PercentileMethod.Sketch : PercentileMethod.Exact,
            NullReasons = reasons,
        };
    }
}

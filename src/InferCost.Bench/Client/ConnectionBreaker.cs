using System.Globalization;

namespace InferCost.Bench.Client;

/// <summary>Stops a level whose endpoint has stopped answering, instead of retrying against it for as long as the
/// level lasts. The rule: the level stops once the last <see cref="Threshold"/> attempts to end — counted across all
/// of the level's workers, warm-up included, in the order they end — all failed to connect
/// (<see cref="ErrorClass.Connection"/>: refused, reset or unreachable before any response). Any attempt that got a
/// response, whatever its status, starts the count again; a cancelled attempt leaves it as it is. The threshold is
/// <see cref="For"/> a level: 20, or two rounds of the level's load when that is more (2 × concurrency, or 2 s of
/// arrivals at the level's rate), so one blip at high load does not stop a level. Thread-safe.</summary>
internal sealed class ConnectionBreaker : IDisposable
{
    public const int MinimumThreshold = 20;

    private readonly CancellationTokenSource _tripped = new();
    private int _consecutive;
    private int _open;

    public ConnectionBreaker(int threshold)
    {
        Threshold = threshold;
    }

    public int Threshold { get; }

    /// <summary>Fires when the breaker opens: waits for a retry end, the pacer stops sending.</summary>
    public CancellationToken Tripped => _tripped.Token;

    public bool IsOpen => Volatile.Read(ref _open) == 1;

    /// <summary>Why the level stopped, in words; null while it has not.</summary>
    public string? Reason => IsOpen
        ? $"the last {Threshold.ToString(CultureInfo.InvariantCulture)} attempts all failed to connect"
        : null;

    public static ConnectionBreaker For(BenchLevel level) => new(level.Mode == LevelMode.Concurrency
        ? (int)Math.Max(MinimumThreshold, Math.Min(int.MaxValue / 2, 2 * level.Value))
        : (int)Math.Max(MinimumThreshold, Math.Min(int.MaxValue / 2, Math.Ceiling(2 * level.Value))));

    public void Record(ErrorClass error)
    {
        if (error == ErrorClass.Connection)
        {
            if (Interlocked.Increment(ref _consecutive) >= Threshold && Interlocked.Exchange(ref _open, 1) == 0)
            {
                _tripped.Cancel();
            }
        }
        else if (error != ErrorClass.Cancelled)
        {
            Interlocked.Exchange(ref _consecutive, 0);
        }
    }

    public void Dispose() => _tripped.Dispose();
}

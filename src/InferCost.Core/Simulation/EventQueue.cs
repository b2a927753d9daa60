namespace InferCost.Core.Simulation;

internal enum EventKind : byte
{
    /// <summary>An attempt finishes service on its replica.</summary>
    Departure,
    /// <summary>The client's timeout for an attempt expires.</summary>
    Timeout,
    /// <summary>A client sends its next attempt after backoff or retry-after.</summary>
    Retry,
    /// <summary>A replica finishes its cold start and can serve.</summary>
    ReplicaReady,
    /// <summary>A replica idle since it was last released may be scaled down.</summary>
    ScaleDownCheck,
}

/// <summary>A scheduled event. <see cref="Id"/> names the attempt, request or replica; <see cref="Generation"/>
/// guards against a slot that was recycled after the event was scheduled.</summary>
internal struct SimEvent
{
    public double Time;
    public long Sequence;
    public int Id;
    public int Generation;
    public EventKind Kind;
}

/// <summary>A binary min-heap of events ordered by time, ties broken by scheduling order so runs are
/// deterministic. Array-backed, no allocation once grown. Not thread-safe.</summary>
internal sealed class EventQueue
{
    private SimEvent[] _heap = new SimEvent[64];
    private long _sequence;

    public int Count { get; private set; }

    /// <summary>The time of the earliest event, or +∞ when empty.</summary>
    public double PeekTime => Count > 0 ? _heap[0].Time : double.PositiveInfinity;

    public void Push(double time, EventKind kind, int id, int generation)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }
        var e = new SimEvent { Time = time, Sequence = _sequence++, Id = id, Generation = generation, Kind = kind };
        var i = Count++;
        var heap = _heap;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Less(ref e, ref heap[parent]))
            {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = e;
    }

    public SimEvent Pop()
    {
        var heap = _heap;
        var top = heap[0];
        var last = heap[--Count];
        var n = Count;
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && Less(ref heap[child + 1], ref heap[child]))
            {
                child++;
            }
            if (!Less(ref heap[child], ref last))
            {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        if (n > 0)
        {
            heap[i] = last;
        }
        return top;
    }

    private static bool Less(ref SimEvent a, ref SimEvent b) =>
        a.Time < b.Time || (a.Time == b.Time && a.Sequence < b.Sequence);
}

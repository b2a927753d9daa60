namespace InferCost.Core.Simulation;

/// <summary>The serving replicas and their free slots. New work goes to the least-loaded replica (what a
/// least-outstanding-requests balancer does, and what keeps continuous-batching replicas fastest). Replicas with a
/// free slot sit in buckets by load, so picking one is O(1) amortised whatever the replica count. Not thread-safe.</summary>
internal sealed class ReplicaPool
{
    private readonly int _maxConcurrency;
    private readonly int[][] _buckets;
    private readonly int[] _bucketCounts;
    private int[] _load;
    private int[] _position;
    private int[] _epoch;
    private bool[] _active;
    private int _lowest;

    public ReplicaPool(int maxConcurrency, int initialCapacity)
    {
        _maxConcurrency = maxConcurrency;
        _buckets = new int[maxConcurrency][];
        _bucketCounts = new int[maxConcurrency];
        for (var i = 0; i < maxConcurrency; i++)
        {
            _buckets[i] = new int[i == 0 ? Math.Max(4, initialCapacity) : 4];
        }
        var capacity = Math.Max(4, initialCapacity);
        _load = new int[capacity];
        _position = new int[capacity];
        _epoch = new int[capacity];
        _active = new bool[capacity];
    }

    /// <summary>Requests in service across active replicas.</summary>
    public int BusySlots { get; private set; }

    public int FreeSlots { get; private set; }

    public int Load(int replica) => _load[replica];

    /// <summary>Changes whenever the replica takes work or joins, so a scale-down check scheduled while it was idle
    /// can tell whether it stayed idle.</summary>
    public int Epoch(int replica) => _epoch[replica];

    public bool IsActive(int replica) => replica < _active.Length && _active[replica];

    /// <summary>Puts replica <paramref name="replica"/> (an id not currently active) into service, empty.</summary>
    public void Add(int replica)
    {
        if (replica >= _load.Length)
        {
            var size = Math.Max(replica + 1, _load.Length * 2);
            Array.Resize(ref _load, size);
            Array.Resize(ref _position, size);
            Array.Resize(ref _epoch, size);
            Array.Resize(ref _active, size);
        }
        _active[replica] = true;
        _load[replica] = 0;
        _epoch[replica]++;
        Insert(0, replica);
        FreeSlots += _maxConcurrency;
        _lowest = 0;
    }

    /// <summary>Takes an idle replica out of service.</summary>
    public void Remove(int replica)
    {
        RemoveAt(0, replica);
        _active[replica] = false;
        FreeSlots -= _maxConcurrency;
    }

    /// <summary>Takes a slot on the least-loaded replica; false when every replica is full.</summary>
    public bool TryAcquire(out int replica)
    {
        if (FreeSlots == 0)
        {
            replica = -1;
            return false;
        }
        var level = _lowest;
        while (_bucketCounts[level] == 0)
        {
            level++;
        }
        _lowest = level;
        replica = _buckets[level][--_bucketCounts[level]];
        var load = level + 1;
        _load[replica] = load;
        _epoch[replica]++;
        if (load < _maxConcurrency)
        {
            Insert(load, replica);
        }
        FreeSlots--;
        BusySlots++;
        return true;
    }

    public void Release(int replica)
    {
        var load = _load[replica];
        if (load < _maxConcurrency)
        {
            RemoveAt(load, replica);
        }
        load--;
        _load[replica] = load;
        Insert(load, replica);
        if (load < _lowest)
        {
            _lowest = load;
        }
        FreeSlots++;
        BusySlots--;
    }

    private void Insert(int level, int replica)
    {
        var bucket = _buckets[level];
        var count = _bucketCounts[level];
        if (count == bucket.Length)
        {
            Array.Resize(ref _buckets[level], bucket.Length * 2);
            bucket = _buckets[level];
        }
        bucket[count] = replica;
        _position[replica] = count;
        _bucketCounts[level] = count + 1;
    }

    private void RemoveAt(int level, int replica)
    {
        var bucket = _buckets[level];
        var last = --_bucketCounts[level];
        var at = _position[replica];
        var moved = bucket[last];
        bucket[at] = moved;
        _position[moved] = at;
    }
}

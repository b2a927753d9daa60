namespace InferCost.Bench.Emulator;

/// <summary>A provider-style rate limit: a bucket of <c>perMinute / 60</c> units (at least one request's worth)
/// refilled continuously at <c>perMinute / 60</c> per second, so a limit of 60 rpm admits one request per second
/// and asks the next to come back in one second. Times in seconds from any fixed origin. Not thread-safe.</summary>
internal sealed class TokenBucket(double perMinute)
{
    private readonly double _refillPerSecond = perMinute / 60.0;
    private readonly double _capacity = Math.Max(1.0, perMinute / 60.0);
    private double _level = Math.Max(1.0, perMinute / 60.0);
    private double _updatedSeconds = double.NaN;

    /// <summary>Seconds until <paramref name="cost"/> units fit (0 = they fit now). A cost above the bucket's
    /// capacity is treated as a full bucket, so a large request waits rather than failing forever.</summary>
    public double WaitSeconds(double nowSeconds, double cost)
    {
        Refill(nowSeconds);
        var need = Math.Min(cost, _capacity);
        return _level >= need ? 0 : (need - _level) / _refillPerSecond;
    }

    public void Take(double nowSeconds, double cost)
    {
        Refill(nowSeconds);
        _level -= Math.Min(cost, _capacity);
    }

    private void Refill(double nowSeconds)
    {
        if (!double.IsNaN(_updatedSeconds))
        {
            _level = Math.Min(_capacity, _level + (nowSeconds - _updatedSeconds) * _refillPerSecond);
        }
        _updatedSeconds = nowSeconds;
    }
}

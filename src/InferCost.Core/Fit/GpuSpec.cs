namespace InferCost.Core.Fit;

/// <summary>One accelerator model from the GPU catalog. Immutable.</summary>
public sealed record GpuSpec
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required string Vendor { get; init; }

    /// <summary>The vendor's stated capacity in GiB (vendors' "GB" for GPU memory is binary).</summary>
    public required decimal MemoryGiB { get; init; }

    /// <summary>Capacity in bytes: <see cref="MemoryGiB"/> × 2^30.</summary>
    public long MemoryBytes => (long)(MemoryGiB * 1_073_741_824m);

    public string? MemoryType { get; init; }

    /// <summary>Peak memory bandwidth in bytes per second (decimal: 1 TB/s = 10^12 B/s).</summary>
    public required double MemoryBandwidthBytesPerSecond { get; init; }

    /// <summary>Dense (non-sparse) bf16 tensor throughput in TFLOP/s.</summary>
    public double? DenseBf16Tflops { get; init; }

    /// <summary>Dense fp8 tensor throughput in TFLOP/s; null where the GPU has no fp8 tensor cores.</summary>
    public double? DenseFp8Tflops { get; init; }

    /// <summary>Maximum board power in watts.</summary>
    public int? BoardPowerW { get; init; }

    public required string Source { get; init; }

    /// <summary>The date the figures were recorded from <see cref="Source"/>.</summary>
    public required DateOnly EffectiveDate { get; init; }
}

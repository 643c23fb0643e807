using Cluster.Engine.Config;
using Cluster.Engine.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Attention;

/// <summary>
/// The physical K/V tensors of one stage, preallocated once: per layer, (pages × PageSize) slots
/// of (kvHeads, headDim). Which slot belongs to which sequence is the page bookkeeping's business
/// (<c>slot = pageId * PageSize + offset</c>); this class only holds the memory.
/// </summary>
public sealed class PagedKvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <param name="hugePages">on the CPU, allocate each layer's keys and values in 2 MiB pages.</param>
    public PagedKvCache(ModelConfig config, int layers, int pageSize, int pageCount, ScalarType dtype, Device device, bool hugePages = true)
    {
        if (pageSize <= 0) throw new ArgumentOutOfRangeException(nameof(pageSize), "page size must be positive");
        if (pageCount <= 0) throw new ArgumentOutOfRangeException(nameof(pageCount), "page count must be positive");
        PageSize = pageSize;
        PageCount = pageCount;
        long slots = (long)pageSize * pageCount;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (int layer = 0; layer < layers; layer++)
        {
            _keys[layer] = Zeros(slots, config, dtype, device, hugePages);   // (slots, kvH, hd)
            _values[layer] = Zeros(slots, config, dtype, device, hugePages); // (slots, kvH, hd)
        }
    }

    /// <summary>
    /// One layer's keys or values, zeroed. On the CPU in 2 MiB pages (<see cref="HugePages"/>):
    /// attention reads a sequence's slots page by page, scattered over the whole tensor.
    /// </summary>
    private static Tensor Zeros(long slots, ModelConfig config, ScalarType dtype, Device device, bool hugePages)
    {
        if (!hugePages || device.type != DeviceType.CPU) return torch.zeros([slots, config.NumKeyValueHeads, config.HeadDim], dtype, device);
        using var flat = HugePages.Allocate(slots * config.NumKeyValueHeads * config.HeadDim, dtype, out _);
        return flat.zero_().view(slots, config.NumKeyValueHeads, config.HeadDim);
    }

    public int PageSize { get; }

    public int PageCount { get; }

    public Tensor Keys(int layer) => _keys[layer];

    public Tensor Values(int layer) => _values[layer];

    /// <summary>Bytes one page takes over all of this stage's layers (keys and values).</summary>
    public static long BytesPerPage(ModelConfig config, int layers, int pageSize, ScalarType dtype) =>
        2L * layers * pageSize * config.NumKeyValueHeads * config.HeadDim * ElementSize(dtype);

    /// <summary>How many pages fit in <paramref name="budgetBytes"/>.</summary>
    public static int PagesForBudget(ModelConfig config, int layers, int pageSize, ScalarType dtype, long budgetBytes) =>
        (int)Math.Min(int.MaxValue, budgetBytes / BytesPerPage(config, layers, pageSize, dtype));

    internal static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 => 2,
        _ => throw new NotSupportedException($"KV cache dtype {dtype} is not supported"),
    };

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values)) tensor.Dispose();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Attention;

/// <summary>
/// Attention through page tables for one batch of sequences: the new tokens' k/v are written to
/// their slots, then each sequence attends over its whole context read back from its pages.
/// Sequences with one new token (decode) attend together in one padded batched product;
/// sequences with several (prefill, also over an already cached prefix) attend one by one.
/// </summary>
public sealed class PagedAttention : IAttentionKernel, IDisposable
{
    private readonly PagedKvCache _cache;
    private readonly Tensor _writeSlots;          // (T)
    private readonly Tensor? _decodeRows;         // (B)
    private readonly Tensor? _decodeSlots;        // (B, maxContext)
    private readonly Tensor? _decodePadding;      // (B, 1, 1, maxContext) true where no key
    private readonly List<(PagedSequence Sequence, Tensor Slots)> _prefills = [];

    public PagedAttention(PagedKvCache cache, IReadOnlyList<PagedSequence> sequences, Device device)
    {
        _cache = cache;
        int pageSize = cache.PageSize;
        int tokens = sequences.Sum(s => s.QueryCount);
        var writeSlots = new long[tokens];
        foreach (var s in sequences)
            for (int i = 0; i < s.QueryCount; i++)
                writeSlots[s.QueryStart + i] = s.Slot(s.CachedTokens + i, pageSize);
        _writeSlots = torch.tensor(writeSlots, device: device);

        var decodes = sequences.Where(s => s.QueryCount == 1).ToList();
        if (decodes.Count > 0)
        {
            int maxContext = decodes.Max(s => s.ContextLength);
            var slots = new long[decodes.Count * maxContext];
            var padding = new bool[decodes.Count * maxContext];
            for (int b = 0; b < decodes.Count; b++)
                for (int p = 0; p < maxContext; p++)
                {
                    bool present = p < decodes[b].ContextLength;
                    slots[b * maxContext + p] = present ? decodes[b].Slot(p, pageSize) : 0;
                    padding[b * maxContext + p] = !present;
                }
            _decodeRows = torch.tensor(decodes.Select(s => (long)s.QueryStart).ToArray(), device: device);
            _decodeSlots = torch.tensor(slots, [decodes.Count, maxContext], device: device);
            _decodePadding = torch.tensor(padding, [decodes.Count, 1, 1, maxContext], device: device);
        }
        foreach (var s in sequences.Where(s => s.QueryCount > 1))
        {
            var slots = Enumerable.Range(0, s.ContextLength).Select(p => s.Slot(p, pageSize)).ToArray();
            _prefills.Add((s, torch.tensor(slots, device: device)));
        }
    }

    public Tensor Attend(int layer, Tensor q, Tensor k, Tensor v)
    {
        using var scope = NewDisposeScope();
        var keyCache = _cache.Keys(layer);
        var valueCache = _cache.Values(layer);
        keyCache.index_copy_(0, _writeSlots, k);
        valueCache.index_copy_(0, _writeSlots, v);

        var output = torch.empty_like(q);
        if (_decodeRows is not null)
            output.index_copy_(0, _decodeRows, AttendDecodes(q, keyCache, valueCache));
        foreach (var (sequence, slots) in _prefills)
        {
            var attended = GroupedQueryAttention.Causal(
                q.narrow(0, sequence.QueryStart, sequence.QueryCount),
                keyCache.index_select(0, slots),
                valueCache.index_select(0, slots),
                sequence.CachedTokens);
            output.narrow(0, sequence.QueryStart, sequence.QueryCount).copy_(attended);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>One query per sequence, all sequences in one batched product over padded contexts.</summary>
    private Tensor AttendDecodes(Tensor q, Tensor keyCache, Tensor valueCache)
    {
        long batch = _decodeSlots!.shape[0], context = _decodeSlots.shape[1];
        long heads = q.shape[1], headDim = q.shape[2], kvHeads = keyCache.shape[1], groups = heads / kvHeads;
        var flatSlots = _decodeSlots.view(-1);
        var keys = keyCache.index_select(0, flatSlots).view(batch, context, kvHeads, headDim);    // (B, C, kvH, hd)
        var values = valueCache.index_select(0, flatSlots).view(batch, context, kvHeads, headDim); // (B, C, kvH, hd)
        var queries = q.index_select(0, _decodeRows!).view(batch, kvHeads, groups, headDim);       // (B, kvH, G, hd)
        var scores = torch.matmul(queries, keys.permute(0, 2, 3, 1))                                // (B, kvH, G, C)
                          .to(ScalarType.Float32) * (1.0 / Math.Sqrt(headDim));
        scores = scores.masked_fill(_decodePadding!, float.NegativeInfinity);
        var weights = scores.softmax(-1).to(q.dtype);
        return torch.matmul(weights, values.permute(0, 2, 1, 3))                                    // (B, kvH, G, hd)
                    .reshape(batch, heads, headDim);
    }

    public void Dispose()
    {
        _writeSlots.Dispose();
        _decodeRows?.Dispose();
        _decodeSlots?.Dispose();
        _decodePadding?.Dispose();
        foreach (var (_, slots) in _prefills) slots.Dispose();
    }
}

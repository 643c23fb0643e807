using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

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
    private readonly Tensor? _decodePresent;      // (B, 1, 1, maxContext) true where a key exists
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
            var present = new bool[decodes.Count * maxContext];
            for (int b = 0; b < decodes.Count; b++)
                for (int p = 0; p < maxContext; p++)
                {
                    bool exists = p < decodes[b].ContextLength;
                    slots[b * maxContext + p] = exists ? decodes[b].Slot(p, pageSize) : 0;
                    present[b * maxContext + p] = exists;
                }
            _decodeRows = torch.tensor(decodes.Select(s => (long)s.QueryStart).ToArray(), device: device);
            _decodeSlots = torch.tensor(slots, [decodes.Count, maxContext], device: device);
            _decodePresent = torch.tensor(present, [decodes.Count, 1, 1, maxContext], device: device);
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

    /// <summary>
    /// One query per sequence, all sequences in one fused attention call over padded contexts. The
    /// query heads sharing a key/value head stand in the query-length axis, so grouped-query
    /// attention needs no copy of the keys and values.
    /// </summary>
    private Tensor AttendDecodes(Tensor q, Tensor keyCache, Tensor valueCache)
    {
        long batch = _decodeSlots!.shape[0], context = _decodeSlots.shape[1];
        long heads = q.shape[1], headDim = q.shape[2], kvHeads = keyCache.shape[1], groups = heads / kvHeads;
        var flatSlots = _decodeSlots.view(-1);
        var keys = keyCache.index_select(0, flatSlots).view(batch, context, kvHeads, headDim).transpose(1, 2);     // (B, kvH, C, hd)
        var values = valueCache.index_select(0, flatSlots).view(batch, context, kvHeads, headDim).transpose(1, 2); // (B, kvH, C, hd)
        var queries = q.index_select(0, _decodeRows!).view(batch, kvHeads, groups, headDim);                       // (B, kvH, G, hd)
        return F.scaled_dot_product_attention(queries, keys, values, attn_mask: _decodePresent)                    // (B, kvH, G, hd)
                .reshape(batch, heads, headDim);
    }

    public void Dispose()
    {
        _writeSlots.Dispose();
        _decodeRows?.Dispose();
        _decodeSlots?.Dispose();
        _decodePresent?.Dispose();
        foreach (var (_, slots) in _prefills) slots.Dispose();
    }
}

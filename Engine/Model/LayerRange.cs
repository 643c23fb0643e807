namespace Cluster.Engine.Model;

/// <summary>The decoder layers [Start, End) of one pipeline stage, out of <see cref="Total"/>.</summary>
public readonly record struct LayerRange(int Start, int End, int Total)
{
    public int Count => End - Start;

    /// <summary>The first stage embeds token ids.</summary>
    public bool IsFirst => Start == 0;

    /// <summary>The last stage applies the final norm and the LM head.</summary>
    public bool IsLast => End == Total;

    public static LayerRange All(int total) => new(0, total, total);

    public LayerRange Validated()
    {
        if (Total <= 0 || Start < 0 || End > Total || Start >= End)
            throw new ArgumentOutOfRangeException(nameof(LayerRange), $"layer range [{Start}, {End}) is not inside [0, {Total})");
        return this;
    }

    /// <summary>Splits <paramref name="total"/> layers into the given stage sizes, in order.</summary>
    public static IReadOnlyList<LayerRange> Split(int total, IReadOnlyList<int> sizes)
    {
        if (sizes.Sum() != total || sizes.Any(s => s <= 0))
            throw new ArgumentException($"stage sizes [{string.Join(", ", sizes)}] must be positive and add up to {total} layers");
        var ranges = new List<LayerRange>();
        int start = 0;
        foreach (var size in sizes)
        {
            ranges.Add(new LayerRange(start, start + size, total));
            start += size;
        }
        return ranges;
    }

    /// <summary>Splits <paramref name="total"/> layers into <paramref name="stages"/> near-equal ranges.</summary>
    public static IReadOnlyList<LayerRange> SplitEvenly(int total, int stages)
    {
        if (stages <= 0 || stages > total)
            throw new ArgumentOutOfRangeException(nameof(stages), $"cannot split {total} layers into {stages} stages");
        var sizes = Enumerable.Range(0, stages).Select(s => total / stages + (s < total % stages ? 1 : 0)).ToArray();
        return Split(total, sizes);
    }

    public override string ToString() => $"[{Start}, {End}) of {Total}";
}

using System.Text;

namespace Cluster.Engine.Tokenizers;

/// <summary>
/// A vocabulary of raw UTF-8 bytes (id = byte + 3, after &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the
/// llama byte-fallback order). It needs no file, so the embedded default model can run anywhere;
/// ids beyond the byte range decode to nothing.
/// </summary>
public sealed class ByteTokenizer(int vocabSize) : ITextTokenizer
{
    private const int FirstByte = 3;
    private static readonly byte[][] Bytes = Enumerable.Range(0, 256).Select(b => new[] { (byte)b }).ToArray();

    public int VocabSize { get; } = vocabSize >= FirstByte + 256
        ? vocabSize
        : throw new ArgumentOutOfRangeException(nameof(vocabSize), $"a byte vocabulary needs at least {FirstByte + 256} ids");

    public int? BosId => 1;

    public IReadOnlyList<int> EosIds { get; } = [2];

    public string? ChatTemplate => null;

    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>(text.Length + 1);
        if (addBos) ids.Add(1);
        foreach (var b in Encoding.UTF8.GetBytes(text)) ids.Add(b + FirstByte);
        return ids;
    }

    public ReadOnlySpan<byte> TokenBytes(int id, int? previousId) =>
        id is >= FirstByte and < FirstByte + 256 ? Bytes[id - FirstByte] : ReadOnlySpan<byte>.Empty;

    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>(ids.Count);
        int? previous = null;
        foreach (var id in ids)
        {
            bytes.AddRange(TokenBytes(id, previous).ToArray());
            previous = id;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}

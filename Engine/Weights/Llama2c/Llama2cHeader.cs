using System.Buffers.Binary;
using Cluster.Engine.Config;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Weights.Llama2c;

/// <summary>
/// The seven int32 fields that open a llama2.c v0 checkpoint (<c>Config</c> in run.c). A negative
/// vocab size means the classifier is stored separately instead of shared with the embedding.
/// </summary>
public sealed record Llama2cHeader(
    int Dim, int HiddenDim, int Layers, int Heads, int KvHeads, int VocabSize, bool SharedClassifier, int SeqLen)
{
    public const int Bytes = 7 * sizeof(int);

    // llama2.c's version-1/2 exports start with "ak42" and a version number instead.
    private const uint VersionedMagic = 0x616b3432;

    public int HeadSize => Dim / Heads;

    public int KvDim => KvHeads * HeadSize;

    public static Llama2cHeader Read(MappedFile file)
    {
        if (file.Length < Bytes)
            throw new ModelFormatException(file.Path, $"truncated: a llama2.c header needs {Bytes} bytes but the file has {file.Length}");
        var span = file.Span(0, Bytes);
        if (BinaryPrimitives.ReadUInt32LittleEndian(span) == VersionedMagic)
            throw new ModelFormatException(file.Path, "llama2.c version-1/2 exports (magic 'ak42') are not supported; export with --version 0");
        var f = new int[7];
        for (int i = 0; i < f.Length; i++)
            f[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]);
        int vocab = f[5];
        var header = new Llama2cHeader(f[0], f[1], f[2], f[3], f[4], vocab == int.MinValue ? 0 : Math.Abs(vocab), vocab > 0, f[6]);
        try
        {
            header.ToConfig().Validated(file.Path);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(file.Path, $"not a llama2.c v0 checkpoint: bad header ({e.Reason})", e);
        }
        return header;
    }

    /// <summary>llama2.c hard-codes what its header leaves out: theta 10000, eps 1e-5, BOS 1, EOS 2.</summary>
    public ModelConfig ToConfig() => new()
    {
        ModelType = "llama",
        VocabSize = VocabSize,
        HiddenSize = Dim,
        IntermediateSize = HiddenDim,
        NumHiddenLayers = Layers,
        NumAttentionHeads = Heads,
        NumKeyValueHeadsOrNull = KvHeads,
        MaxPositionEmbeddings = SeqLen,
        RmsNormEps = 1e-5,
        RopeTheta = 10000.0,
        TieWordEmbeddings = SharedClassifier,
        BosTokenId = 1,
        EosTokenIds = [2],
    };
}

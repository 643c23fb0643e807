using Cluster.Engine.Config;
using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Llama2c;

/// <summary>
/// A llama2.c v0 <c>.bin</c>: the header, then float32 arrays in run.c's fixed order, each
/// stacking all layers. Offsets are computed from the header and the file must be exactly that
/// long. q/k rows are stored in the interleaved-pair RoPE layout and converted on read.
/// </summary>
public sealed class Llama2cCheckpoint : MappedCheckpoint
{
    private readonly MappedFile _file;
    private readonly Dictionary<string, StoredTensor> _tensors = new(StringComparer.Ordinal);

    public Llama2cCheckpoint(string path)
    {
        _file = new MappedFile(path);
        try
        {
            Header = Llama2cHeader.Read(_file);
            Config = Header.ToConfig();
            long end;
            try
            {
                end = Lay(Header);
            }
            catch (OverflowException e)
            {
                throw new ModelFormatException(path, "not a llama2.c v0 checkpoint: the header's sizes overflow", e);
            }
            if (_file.Length < end)
                throw new ModelFormatException(path, $"truncated: the header implies {end} bytes but the file has {_file.Length}");
            if (_file.Length > end)
                throw new ModelFormatException(path, $"{_file.Length - end} trailing bytes after the {end} the header implies (not a llama2.c v0 checkpoint?)");
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public Llama2cHeader Header { get; }

    public override string Source => _file.Path;

    public override ModelConfig Config { get; }

    protected override IEnumerable<MappedFile> Files => [_file];

    protected override bool TryLocate(string name, out StoredTensor stored) => _tensors.TryGetValue(name, out stored!);

    /// <summary>Records every tensor's offset in run.c's order; returns the end of the last array.</summary>
    private long Lay(Llama2cHeader h)
    {
        long offset = Llama2cHeader.Bytes;
        int layers = h.Layers;

        // One array of all layers' tensors of one kind, each tensor of the given shape.
        void Stacked(Func<int, string> name, long[] shape, int ropeHeads = 0)
        {
            long bytes = Float32Bytes(shape);
            long end = checked(offset + bytes * layers);
            // A damaged header can claim billions of layers: skip recording what the file cannot hold.
            for (int layer = 0; end <= _file.Length && layer < layers; layer++)
                _tensors[name(layer)] = new StoredTensor(name(layer), _file, offset + layer * bytes, shape, GgmlType.F32, ropeHeads);
            offset = end;
        }

        void Single(string? name, long[] shape)
        {
            if (name is not null)
                _tensors[name] = new StoredTensor(name, _file, offset, shape, GgmlType.F32);
            offset = checked(offset + Float32Bytes(shape));
        }

        Single(TensorNames.Embedding, [h.VocabSize, h.Dim]);
        Stacked(TensorNames.InputNorm, [h.Dim]);
        Stacked(TensorNames.Query, [h.Dim, h.Dim], h.Heads);
        Stacked(TensorNames.Key, [h.KvDim, h.Dim], h.KvHeads);
        Stacked(TensorNames.Value, [h.KvDim, h.Dim]);
        Stacked(TensorNames.Output, [h.Dim, h.Dim]);
        Stacked(TensorNames.PostAttentionNorm, [h.Dim]);
        Stacked(TensorNames.Gate, [h.HiddenDim, h.Dim]);
        Stacked(TensorNames.Down, [h.Dim, h.HiddenDim]);
        Stacked(TensorNames.Up, [h.HiddenDim, h.Dim]);
        Single(TensorNames.FinalNorm, [h.Dim]);
        // Precomputed RoPE tables (real, then imaginary): the model computes its own.
        Single(null, [h.SeqLen, h.HeadSize / 2]);
        Single(null, [h.SeqLen, h.HeadSize / 2]);
        if (!h.SharedClassifier)
            Single(TensorNames.LmHead, [h.VocabSize, h.Dim]);
        return offset;
    }

    private static long Float32Bytes(long[] shape)
    {
        long bytes = sizeof(float);
        foreach (long d in shape)
            bytes = checked(bytes * d);
        return bytes;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _file.Dispose();
    }
}

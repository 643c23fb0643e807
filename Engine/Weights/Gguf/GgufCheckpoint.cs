using Cluster.Engine.Config;
using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Gguf;

/// <summary>
/// A GGUF checkpoint (llama or qwen2 architecture). Quantized tensors are dequantized on read.
/// llama.cpp's converter permutes Llama q/k rows into the interleaved-pair RoPE layout; they are
/// permuted back here. Qwen2 uses rotate-half RoPE in llama.cpp and is stored unpermuted.
/// </summary>
public sealed class GgufCheckpoint : MappedCheckpoint
{
    private readonly GgufFile _gguf;
    private readonly bool _interleavedRope;

    public GgufCheckpoint(string path)
    {
        _gguf = GgufFile.Open(path);
        try
        {
            Config = GgufModelConfig.Read(_gguf);
            _interleavedRope = GgufModelConfig.Architecture(_gguf) == "llama";
        }
        catch
        {
            _gguf.Dispose();
            throw;
        }
    }

    public GgufFile File => _gguf;

    public override string Source => _gguf.Path;

    public override ModelConfig Config { get; }

    protected override IEnumerable<MappedFile> Files => [_gguf.File];

    protected override bool TryLocate(string name, out StoredTensor stored)
    {
        stored = null!;
        if (GgufTensorNames.FromHf(name) is not { } ggufName || !_gguf.TryGetTensor(ggufName, out var info))
            return false;
        stored = new StoredTensor(info.Name, _gguf.File, _gguf.DataOffset + info.Offset, info.Shape, info.Type, RopeHeads(name));
        return true;
    }

    private int RopeHeads(string name)
    {
        if (!_interleavedRope || !ExpectedShapes.TryParseLayer(name, out _, out string suffix))
            return 0;
        return suffix switch
        {
            "self_attn.q_proj.weight" or "self_attn.q_proj.bias" => Config.NumAttentionHeads,
            "self_attn.k_proj.weight" or "self_attn.k_proj.bias" => Config.NumKeyValueHeads,
            _ => 0,
        };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _gguf.Dispose();
    }
}

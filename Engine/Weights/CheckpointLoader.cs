using Cluster.Engine.Formats;
using Cluster.Engine.Weights.Gguf;
using Cluster.Engine.Weights.Llama2c;
using Cluster.Engine.Weights.Safetensors;

namespace Cluster.Engine.Weights;

/// <summary>Opens a checkpoint in whichever supported format the path holds.</summary>
public static class CheckpointLoader
{
    /// <summary>
    /// A directory with <c>config.json</c> (or a <c>.safetensors</c> file inside one) is a Hugging
    /// Face checkpoint; a file starting with the GGUF magic (or named <c>.gguf</c>) is GGUF; any
    /// other file is tried as a llama2.c v0 <c>.bin</c>, whose exact-size check rejects strangers.
    /// </summary>
    public static MappedCheckpoint Open(string path)
    {
        if (Directory.Exists(path))
        {
            if (!File.Exists(Path.Combine(path, "config.json")))
                throw new ModelFormatException(path, "a directory without config.json is not a Hugging Face checkpoint");
            return new SafetensorsCheckpoint(path);
        }
        if (!File.Exists(path))
            throw new ModelFormatException(path, "no such file or directory");
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return new SafetensorsCheckpoint(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) || StartsWithGgufMagic(path))
            return new GgufCheckpoint(path);
        return new Llama2cCheckpoint(path);
    }

    private static bool StartsWithGgufMagic(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
    }
}

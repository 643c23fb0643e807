using Cluster.Engine.Formats;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Safetensors;
using TorchSharp;

namespace Cluster.Engine.Encoders;

/// <summary>
/// An encoder's tensors in <c>model.safetensors</c>, read by their <c>BertModel</c> names
/// (<c>embeddings.…</c>, <c>encoder.layer.N.…</c>) whether the file has them bare or under the
/// <c>bert.</c> prefix of <c>BertForMaskedLM</c>. Every tensor's shape is checked against the
/// config, so a wrong or damaged file fails at load naming the tensor.
/// </summary>
public sealed class EncoderWeights : IDisposable
{
    private const string FileName = "model.safetensors";

    private readonly MappedFile _file;
    private readonly Dictionary<string, SafetensorsEntry> _entries;
    private readonly string _prefix;

    public EncoderWeights(string directory)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(Path))
            throw new ModelFormatException(directory, $"{FileName} is missing: an encoder's weights are read from it");
        _file = new MappedFile(Path);
        try
        {
            _entries = SafetensorsHeader.Read(_file);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
        _prefix = _entries.ContainsKey("embeddings.word_embeddings.weight") ? ""
            : _entries.ContainsKey("bert.embeddings.word_embeddings.weight") ? "bert."
            : throw Fail("it holds no embeddings.word_embeddings.weight (nor bert.embeddings.word_embeddings.weight): not a BERT checkpoint");
    }

    public string Path { get; }

    /// <summary>Reads a tensor as <paramref name="dtype"/> on <paramref name="device"/>, checking its shape.</summary>
    public torch.Tensor Read(string name, long[] shape, torch.ScalarType dtype, torch.Device device)
    {
        if (!_entries.TryGetValue(_prefix + name, out var entry))
            throw Fail($"tensor '{_prefix + name}' is missing");
        if (!entry.Shape.SequenceEqual(shape))
            throw Fail($"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", shape)}] for the config");
        var stored = new StoredTensor(entry.Name, _file, entry.Offset, entry.Shape, entry.Type);
        using var decoded = TensorDecoder.Decode(stored);
        return decoded.to(dtype, device, copy: true);
    }

    private ModelFormatException Fail(string reason) => new(Path, reason);

    public void Dispose() => _file.Dispose();
}

using System.Text.Json;
using Cluster.Engine.Config;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Weights.Safetensors;

/// <summary>
/// A Hugging Face checkpoint directory: <c>config.json</c> plus either one
/// <c>model.safetensors</c> or shards listed by <c>model.safetensors.index.json</c>. HF already
/// stores q/k rows in rotate-half order, so tensors are read as they are.
/// </summary>
public sealed class SafetensorsCheckpoint : MappedCheckpoint
{
    private const string SingleFile = "model.safetensors";
    private const string IndexFile = "model.safetensors.index.json";

    private readonly List<MappedFile> _files = [];
    private readonly Dictionary<string, (MappedFile File, SafetensorsEntry Entry)> _tensors = new(StringComparer.Ordinal);

    public SafetensorsCheckpoint(string directory)
    {
        Source = directory;
        string configPath = Path.Combine(directory, "config.json");
        Config = HfConfigJson.Load(configPath).Validated(configPath);
        try
        {
            string index = Path.Combine(directory, IndexFile);
            if (File.Exists(index))
                OpenShards(index);
            else if (File.Exists(Path.Combine(directory, SingleFile)))
                AddFile(Path.Combine(directory, SingleFile), expected: null);
            else
                throw new ModelFormatException(directory, $"neither {SingleFile} nor {IndexFile} is present");
        }
        catch
        {
            Dispose(true);
            throw;
        }
    }

    public override string Source { get; }

    public override ModelConfig Config { get; }

    protected override IEnumerable<MappedFile> Files => _files;

    protected override bool TryLocate(string name, out StoredTensor stored)
    {
        stored = null!;
        if (!_tensors.TryGetValue(name, out var found))
            return false;
        var (file, entry) = found;
        stored = new StoredTensor(entry.Name, file, entry.Offset, entry.Shape, entry.Type);
        return true;
    }

    private void OpenShards(string indexPath)
    {
        var shards = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            foreach (var entry in json.RootElement.GetProperty("weight_map").EnumerateObject())
            {
                string shard = entry.Value.GetString() ?? throw new ModelFormatException(indexPath, $"tensor '{entry.Name}' maps to null");
                if (Path.GetFileName(shard) != shard)
                    throw new ModelFormatException(indexPath, $"shard '{shard}' is not a file name in the checkpoint directory");
                (shards.TryGetValue(shard, out var names) ? names : shards[shard] = []).Add(entry.Name);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ModelFormatException(indexPath, $"bad index: {e.Message}", e);
        }
        foreach (var (shard, names) in shards)
            AddFile(Path.Combine(Source, shard), names);
    }

    /// <param name="expected">The names the index puts in this file; null to take all it holds.</param>
    private void AddFile(string path, List<string>? expected)
    {
        var file = new MappedFile(path);
        _files.Add(file);
        var entries = SafetensorsHeader.Read(file);
        foreach (string name in expected ?? [.. entries.Keys])
        {
            if (!entries.TryGetValue(name, out var entry))
                throw new ModelFormatException(path, $"tensor '{name}' is listed in {IndexFile} but missing from this shard");
            _tensors[name] = (file, entry);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing)
            return;
        foreach (var file in _files)
            file.Dispose();
        _files.Clear();
    }
}

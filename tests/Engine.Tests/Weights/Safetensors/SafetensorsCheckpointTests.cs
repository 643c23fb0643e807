using System.Buffers.Binary;
using Cluster.Engine.Formats;
using Cluster.Engine.Tests.Weights.Support;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Safetensors;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights.Safetensors;

public sealed class SafetensorsCheckpointTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    private static string RealModel => SharedModels.Path("stories260K-hf", "model.safetensors");

    [SharedModelFact]
    public void Open_WhenTiedEmbeddings_HasNoLmHead()
    {
        using var checkpoint = new SafetensorsCheckpoint(SharedModels.Path("stories260K-hf"));

        Assert.True(checkpoint.Config.TieWordEmbeddings);
        Assert.False(checkpoint.Contains(TensorNames.LmHead));
        Assert.True(checkpoint.Contains(TensorNames.Embedding));
        Assert.Equal(new long[] { 32, 64 }, checkpoint.Shape(TensorNames.Key(4)));
    }

    [Fact]
    public void Open_WhenSharded_ReadsEachTensorFromTheShardTheIndexNames()
    {
        WriteConfig();
        new TestSafetensorsWriter().Float32(TensorNames.Embedding, [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]).Write(_temp.File("a.safetensors"));
        new TestSafetensorsWriter().Float32(TensorNames.FinalNorm, [2], [9, 10]).Write(_temp.File("b.safetensors"));
        File.WriteAllText(_temp.File("model.safetensors.index.json"), $$"""
            { "metadata": {}, "weight_map": { "{{TensorNames.Embedding}}": "a.safetensors", "{{TensorNames.FinalNorm}}": "b.safetensors" } }
            """);
        using var checkpoint = CheckpointLoader.Open(_temp.Path);

        using var embedding = checkpoint.Read(TensorNames.Embedding, torch.float32, torch.CPU);
        using var norm = checkpoint.Read(TensorNames.FinalNorm, torch.float64, torch.CPU);

        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, embedding.data<float>().ToArray());
        Assert.Equal(new double[] { 9, 10 }, norm.data<double>().ToArray());
        Assert.Equal([2], checkpoint.Config.EosTokenIds);
    }

    [Fact]
    public void Open_WhenIndexNamesATensorTheShardLacks_ThrowsNamingShardAndTensor()
    {
        WriteConfig();
        new TestSafetensorsWriter().Float32(TensorNames.FinalNorm, [2], [9, 10]).Write(_temp.File("a.safetensors"));
        File.WriteAllText(_temp.File("model.safetensors.index.json"), $$"""
            { "weight_map": { "{{TensorNames.Embedding}}": "a.safetensors" } }
            """);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(_temp.Path));

        Assert.Equal(_temp.File("a.safetensors"), error.File);
        Assert.Contains($"'{TensorNames.Embedding}' is listed", error.Message);
    }

    [Fact]
    public void Read_WhenTensorShapeDisagreesWithConfig_ThrowsNamingFileTensorAndShapes()
    {
        WriteConfig();
        new TestSafetensorsWriter().Float32(TensorNames.Embedding, [2, 4], new float[8]).Write(_temp.File("model.safetensors"));
        using var checkpoint = CheckpointLoader.Open(_temp.Path);

        var error = Assert.Throws<ModelFormatException>(() => checkpoint.Read(TensorNames.Embedding, torch.float32, torch.CPU));

        Assert.Equal(_temp.File("model.safetensors"), error.File);
        Assert.Contains($"'{TensorNames.Embedding}'", error.Message);
        Assert.Contains("shape [2, 4], expected [4, 2]", error.Message);
    }

    [SharedModelFact]
    public void Open_WhenHeaderLengthRunsPastTheFile_ThrowsBadHeader()
    {
        var bytes = CopyRealModel();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        File.WriteAllBytes(_temp.File("model.safetensors"), bytes);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(_temp.Path));

        Assert.Equal(_temp.File("model.safetensors"), error.File);
        Assert.Contains("runs past the end", error.Message);
    }

    [SharedModelFact]
    public void Open_WhenHeaderJsonIsDamaged_ThrowsBadHeader()
    {
        var bytes = CopyRealModel();
        bytes[8] = (byte)'#';
        File.WriteAllBytes(_temp.File("model.safetensors"), bytes);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(_temp.Path));

        Assert.Equal(_temp.File("model.safetensors"), error.File);
        Assert.Contains("bad safetensors header", error.Message);
    }

    [SharedModelFact]
    public void Open_WhenRealFileIsCutShort_ThrowsOffsetsOutOfRange()
    {
        File.Copy(SharedModels.Path("stories260K-hf", "config.json"), _temp.File("config.json"));
        _temp.Truncated(RealModel, 600_000);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(_temp.Path));

        Assert.Equal(_temp.File("model.safetensors"), error.File);
        Assert.Contains("out of range", error.Message);
    }

    [Fact]
    public void Open_WhenNoWeightsFile_ThrowsNamingTheDirectory()
    {
        WriteConfig();

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(_temp.Path));

        Assert.Equal(_temp.Path, error.File);
        Assert.Contains("model.safetensors", error.Message);
    }

    private byte[] CopyRealModel()
    {
        File.Copy(SharedModels.Path("stories260K-hf", "config.json"), _temp.File("config.json"));
        return File.ReadAllBytes(RealModel);
    }

    private void WriteConfig() => File.WriteAllText(_temp.File("config.json"),
        TestSafetensorsWriter.LlamaConfig(dim: 2, hidden: 4, layers: 1, heads: 1, kvHeads: 1, vocab: 4));

    public void Dispose() => _temp.Dispose();
}

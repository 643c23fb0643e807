using Cluster.Engine.Config;
using Cluster.Engine.Tests.Weights.Support;
using Cluster.Engine.Weights;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights;

/// <summary>A stage that loads layers [a, b) must read those layers' bytes and no others.</summary>
public sealed class LayerRangeTests
{
    [SharedModelTheory]
    [InlineData("stories260K/stories260K.bin")]
    [InlineData("stories260K/stories260K.gguf")]
    [InlineData("stories260K-hf")]
    public void Read_WhenOnlyLayersOneAndTwoOfFive_ReadsExactlyTheirBytes(string path)
    {
        using var checkpoint = CheckpointLoader.Open(SharedModels.Path(path.Split('/')));
        long before = checkpoint.BytesRead;

        foreach (string name in HfNames.Layer(1).Concat(HfNames.Layer(2)))
            checkpoint.Read(name, torch.float32, torch.CPU).Dispose();

        long read = checkpoint.BytesRead - before;
        Assert.Equal(2 * Float32LayerBytes(checkpoint.Config), read);
        // Two layers of stories260K are well under half of a file dominated by five layers and the embedding.
        long fileBytes = path.EndsWith("hf") ? new FileInfo(SharedModels.Path("stories260K-hf", "model.safetensors")).Length
            : new FileInfo(SharedModels.Path(path.Split('/'))).Length;
        Assert.InRange(read, fileBytes / 10, fileBytes * 2 / 5);
    }

    [SharedModelFact]
    public void Open_WhenNothingIsRead_ReadsOnlyTheHeader()
    {
        using var checkpoint = CheckpointLoader.Open(SharedModels.Path("stories260K", "stories260K.bin"));

        Assert.Equal(28, checkpoint.BytesRead);
    }

    /// <summary>One decoder layer's float32 bytes, worked out from the config alone.</summary>
    private static long Float32LayerBytes(ModelConfig c)
    {
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        long elements = 2L * c.HiddenSize + 2 * q * c.HiddenSize + 2 * kv * c.HiddenSize + 3L * c.IntermediateSize * c.HiddenSize;
        return 4 * elements;
    }
}

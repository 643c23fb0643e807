using Cluster.Engine.Tests.Weights.Support;
using Cluster.Engine.Weights;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights;

/// <summary>
/// stories260K in all three formats. The HF directory was permuted to rotate-half order by
/// llama2.c's export.py, and the .bin and .gguf keep the interleaved order, so identical tensors
/// across formats prove the loaders' layout conversion.
/// </summary>
public sealed class StoriesCrossFormatTests
{
    private static string Bin => SharedModels.Path("stories260K", "stories260K.bin");
    private static string Gguf => SharedModels.Path("stories260K", "stories260K.gguf");
    private static string Hf => SharedModels.Path("stories260K-hf");

    public static TheoryData<string> Formats => new() { "bin", "gguf", "hf" };

    private static string PathOf(string format) => format switch { "bin" => Bin, "gguf" => Gguf, _ => Hf };

    [SharedModelTheory]
    [MemberData(nameof(Formats))]
    public void Open_WhenAnyFormatOfStories260K_GivesItsShape(string format)
    {
        using var checkpoint = CheckpointLoader.Open(PathOf(format));
        var config = checkpoint.Config;

        Assert.Equal(64, config.HiddenSize);
        Assert.Equal(172, config.IntermediateSize);
        Assert.Equal(5, config.NumHiddenLayers);
        Assert.Equal(8, config.NumAttentionHeads);
        Assert.Equal(4, config.NumKeyValueHeads);
        Assert.Equal(8, config.HeadDim);
        Assert.Equal(512, config.VocabSize);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.Equal(1, config.BosTokenId);
        Assert.Equal([2], config.EosTokenIds);
        // The GGUF converter wrote context 2048 and an explicit output.weight.
        Assert.Equal(format == "gguf" ? 2048 : 512, config.MaxPositionEmbeddings);
        Assert.Equal(format != "gguf", config.TieWordEmbeddings);
        Assert.Equal(format == "gguf", checkpoint.Contains(TensorNames.LmHead));
    }

    [SharedModelFact]
    public void Read_WhenBinAndHfDirectory_GiveIdenticalTensorsForEveryName()
    {
        using var bin = CheckpointLoader.Open(Bin);
        using var hf = CheckpointLoader.Open(Hf);

        AssertSameTensors(bin, hf, HfNames.All(bin.Config));
    }

    [SharedModelFact]
    public void Read_WhenGgufAndBin_GiveIdenticalTensorsForEveryName()
    {
        using var gguf = CheckpointLoader.Open(Gguf);
        using var bin = CheckpointLoader.Open(Bin);

        AssertSameTensors(gguf, bin, HfNames.All(bin.Config));
        using var lmHead = gguf.Read(TensorNames.LmHead, torch.float32, torch.CPU);
        using var embedding = bin.Read(TensorNames.Embedding, torch.float32, torch.CPU);
        Assert.True(Tensors.Identical(lmHead, embedding), "the GGUF's output.weight is the shared classifier");
    }

    [SharedModelFact]
    public void Read_WhenBinQueryRowsTakenAsStored_DifferFromTheHfLayout()
    {
        // Guards the two tests above: they could not fail if the layouts happened to coincide.
        using var bin = new Engine.Weights.Llama2c.Llama2cCheckpoint(Bin);
        using var hf = CheckpointLoader.Open(Hf);
        long offset = 28 + 512 * 64 * 4 + 5 * 64 * 4; // header, embedding, rms_att: wq of layer 0 follows
        var raw = File.ReadAllBytes(Bin).AsSpan((int)offset, 64 * 64 * 4).ToArray();
        using var stored = torch.tensor(raw.Chunk(4).Select(b => BitConverter.ToSingle(b)).ToArray()).reshape(64, 64);

        using var hfQuery = hf.Read(TensorNames.Query(0), torch.float32, torch.CPU);
        using var binQuery = bin.Read(TensorNames.Query(0), torch.float32, torch.CPU);

        Assert.False(Tensors.Identical(stored, hfQuery));
        Assert.True(Tensors.Identical(binQuery, hfQuery));
        // Same rows, another order: row 1 of head 0 in the HF layout is stored row 2.
        Assert.True(Tensors.Identical(hfQuery[1], stored[2]));
    }

    [SharedModelTheory]
    [MemberData(nameof(Formats))]
    public void Read_WhenBfloat16Requested_ConvertsEveryTensor(string format)
    {
        using var checkpoint = CheckpointLoader.Open(PathOf(format));

        foreach (string name in HfNames.All(checkpoint.Config))
        {
            using var tensor = checkpoint.Read(name, torch.bfloat16, torch.CPU);
            Assert.Equal(torch.bfloat16, tensor.dtype);
            Assert.Equal(checkpoint.Shape(name), tensor.shape);
        }
    }

    private static void AssertSameTensors(ICheckpoint left, ICheckpoint right, IEnumerable<string> names)
    {
        int compared = 0;
        foreach (string name in names)
        {
            using var a = left.Read(name, torch.float32, torch.CPU);
            using var b = right.Read(name, torch.float32, torch.CPU);
            Assert.True(Tensors.Identical(a, b), $"{name} differs between {left.Source} and {right.Source}");
            compared++;
        }
        Assert.Equal(2 + 5 * 9, compared);
    }
}

using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Tests.Weights.Support;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Gguf;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights.Gguf;

public sealed class GgufCheckpointTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    private static string TinyRandom => SharedModels.Path("llama-2-tiny-random", "llama-2-tiny-random.gguf");

    [SharedModelFact]
    public void Open_WhenTinyRandomLlama_ReadsConfigAndEveryTensor()
    {
        using var checkpoint = CheckpointLoader.Open(TinyRandom);
        var config = checkpoint.Config;

        Assert.IsType<GgufCheckpoint>(checkpoint);
        Assert.Equal((8, 32, 1, 2, 2, 32000, 4096), (config.HiddenSize, config.IntermediateSize, config.NumHiddenLayers,
            config.NumAttentionHeads, config.NumKeyValueHeads, config.VocabSize, config.MaxPositionEmbeddings));
        Assert.False(config.TieWordEmbeddings);
        foreach (string name in HfNames.All(config).Append(TensorNames.LmHead))
        {
            using var tensor = checkpoint.Read(name, torch.float32, torch.CPU);
            Assert.Equal(ExpectedShapes.For(config, name), tensor.shape);
            Assert.True(tensor.isfinite().all().item<bool>(), name);
        }
    }

    [SharedModelFact]
    public void Read_WhenF16Tensors_MatchTheStoredHalvesWithQueryRowsReordered()
    {
        using var checkpoint = new GgufCheckpoint(TinyRandom);
        float[] Stored(string ggufName)
        {
            var info = checkpoint.File.Tensor(ggufName);
            Assert.Equal(GgmlType.F16, info.Type);
            var bytes = checkpoint.File.TensorBytes(info).ToArray();
            return [.. bytes.Chunk(2).Select(b => (float)BitConverter.ToHalf(b))];
        }

        using var embedding = checkpoint.Read(TensorNames.Embedding, torch.float32, torch.CPU);
        using var query = checkpoint.Read(TensorNames.Query(0), torch.float32, torch.CPU);

        Assert.Equal(Stored("token_embd.weight"), embedding.data<float>().ToArray());
        var storedQuery = Stored("blk.0.attn_q.weight");
        int[] storedRowOf = [0, 2, 1, 3, 4, 6, 5, 7]; // two heads of four
        for (int row = 0; row < 8; row++)
            Assert.Equal(storedQuery.AsSpan(8 * storedRowOf[row], 8).ToArray(), query[row].data<float>().ToArray());
    }

    [Theory]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_0)]
    public void Read_WhenQuantizedQuery_DequantizesAndReordersRows(GgmlType type)
    {
        // dim 32, two heads of 16: one block per row. Row r has scale r/4 and quants q(r, c).
        int Quant(int r, int c) => type == GgmlType.Q8_0 ? (r * 7 + c * 3) % 200 - 100 : (r + c) % 16;
        var blocks = new List<byte>();
        for (int r = 0; r < 32; r++)
        {
            blocks.AddRange(BitConverter.GetBytes((Half)(r / 4f)));
            if (type == GgmlType.Q8_0)
                blocks.AddRange(Enumerable.Range(0, 32).Select(c => (byte)(sbyte)Quant(r, c)));
            else
                blocks.AddRange(Enumerable.Range(0, 16).Select(c => (byte)(Quant(r, c) | Quant(r, c + 16) << 4)));
        }
        string path = _temp.File("quantized.gguf");
        TestGgufWriter.Llama(dim: 32, hidden: 64, layers: 1, heads: 2, kvHeads: 2, vocab: 4)
            .Tensor("blk.0.attn_q.weight", [32, 32], type, [.. blocks])
            .Write(path);
        using var checkpoint = CheckpointLoader.Open(path);

        using var query = checkpoint.Read(TensorNames.Query(0), torch.float32, torch.CPU);

        for (int row = 0; row < 32; row++)
        {
            int head = row / 16, i = row % 16;
            int stored = 16 * head + (i < 8 ? 2 * i : 2 * (i - 8) + 1);
            var expected = Enumerable.Range(0, 32)
                .Select(c => stored / 4f * (type == GgmlType.Q8_0 ? Quant(stored, c) : Quant(stored, c) - 8));
            Assert.Equal(expected, query[row].data<float>().ToArray());
        }
    }

    [Theory]
    [InlineData("llama", new[] { 0f, 2, 1, 3, 4, 6, 5, 7 })]
    [InlineData("qwen2", new[] { 0f, 1, 2, 3, 4, 5, 6, 7 })]
    public void Read_WhenQueryBias_ReordersItOnlyForTheInterleavedArchitecture(string arch, float[] expected)
    {
        string path = _temp.File($"{arch}.gguf");
        TestGgufWriter.Model(arch, dim: 8, hidden: 16, layers: 1, heads: 2, kvHeads: 1, vocab: 4)
            .Float32Tensor("blk.0.attn_q.bias", [8], [0, 1, 2, 3, 4, 5, 6, 7])
            .Write(path);
        using var checkpoint = CheckpointLoader.Open(path);

        using var bias = checkpoint.Read(TensorNames.QueryBias(0), torch.float32, torch.CPU);

        Assert.Equal(expected, bias.data<float>().ToArray());
        Assert.True(checkpoint.Config.AttentionBias);
        Assert.Equal(arch, checkpoint.Config.ModelType);
        Assert.Equal(1e-6, checkpoint.Config.RmsNormEps);
    }

    [Theory]
    [InlineData(8.0, 1.0, 4.0, 8192)]
    [InlineData(32.0, 1.0, 4.0, 8192)]
    [InlineData(16.0, 1.0, 8.0, 4096)]
    public void Open_WhenRopeFreqsTensorPresent_RecoversTheLlama3Scaling(double factor, double low, double high, int context)
    {
        // llama.cpp's converter writes one divisor per frequency; this is its loop, written out.
        const double theta = 500000;
        var divisors = new float[32];
        for (int i = 0; i < 32; i++)
        {
            double wavelength = 2 * Math.PI * Math.Pow(theta, 2.0 * i / 64);
            double smooth = (context / wavelength - low) / (high - low);
            divisors[i] = wavelength < context / high ? 1f
                : wavelength > context / low ? (float)factor
                : (float)(1 / ((1 - smooth) / factor + smooth));
        }
        string path = _temp.File("llama31.gguf");
        TestGgufWriter.Llama(dim: 128, hidden: 256, layers: 1, heads: 2, kvHeads: 2, vocab: 4)
            .Float32("llama.rope.freq_base", (float)theta)
            .Float32Tensor("rope_freqs.weight", [32], divisors)
            .Write(path);

        using var checkpoint = CheckpointLoader.Open(path);

        var scaling = checkpoint.Config.RopeScaling!;
        Assert.Equal(("llama3", factor, low, high, context),
            (scaling.Kind, scaling.Factor, scaling.LowFreqFactor, scaling.HighFreqFactor, scaling.OriginalMaxPositionEmbeddings));
        Assert.Equal(500000.0, checkpoint.Config.RopeTheta);
    }

    [Fact]
    public void Open_WhenRopeFreqsMatchNoLlama3Scaling_ThrowsNamingTheTensor()
    {
        string path = _temp.File("odd-rope.gguf");
        TestGgufWriter.Llama(dim: 128, hidden: 256, layers: 1, heads: 2, kvHeads: 2, vocab: 4)
            .Float32Tensor("rope_freqs.weight", [32], [.. Enumerable.Range(1, 32).Select(i => (float)i)])
            .Write(path);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("rope_freqs.weight", error.Message);
    }

    [Fact]
    public void Read_WhenTensorShapeDisagreesWithConfig_ThrowsNamingFileTensorAndShapes()
    {
        string path = _temp.File("wrong-shape.gguf");
        TestGgufWriter.Llama(dim: 4, hidden: 8, layers: 1, heads: 2, kvHeads: 2, vocab: 8)
            .Float32Tensor("blk.0.attn_q.weight", [3, 4], new float[12])
            .Write(path);
        using var checkpoint = CheckpointLoader.Open(path);

        var error = Assert.Throws<ModelFormatException>(() => checkpoint.Read(TensorNames.Query(0), torch.float32, torch.CPU));

        Assert.Equal(path, error.File);
        Assert.Contains("'blk.0.attn_q.weight'", error.Message);
        Assert.Contains("shape [3, 4], expected [4, 4]", error.Message);
    }

    [Fact]
    public void Read_WhenTensorIsMissing_ThrowsNamingIt()
    {
        string path = _temp.File("empty.gguf");
        TestGgufWriter.Llama(dim: 4, hidden: 8, layers: 1, heads: 2, kvHeads: 2, vocab: 8).Write(path);
        using var checkpoint = CheckpointLoader.Open(path);

        var error = Assert.Throws<ModelFormatException>(() => checkpoint.Read(TensorNames.Up(0), torch.float32, torch.CPU));

        Assert.Equal(path, error.File);
        Assert.Contains("'model.layers.0.mlp.up_proj.weight' is missing", error.Message);
        Assert.True(checkpoint.Config.TieWordEmbeddings);
    }

    [Fact]
    public void Read_WhenTypeCannotBeDequantized_ThrowsNamingTheType()
    {
        string path = _temp.File("q2k.gguf");
        TestGgufWriter.Llama(dim: 256, hidden: 8, layers: 1, heads: 2, kvHeads: 2, vocab: 1)
            .Tensor("token_embd.weight", [1, 256], GgmlType.Q2_K, new byte[84])
            .Write(path);
        using var checkpoint = CheckpointLoader.Open(path);

        var error = Assert.Throws<ModelFormatException>(() => checkpoint.Read(TensorNames.Embedding, torch.float32, torch.CPU));

        Assert.Contains("Q2_K", error.Message);
    }

    [Fact]
    public void Open_WhenArchitectureIsNotLlamaLike_ThrowsNamingIt()
    {
        string path = _temp.File("mamba.gguf");
        new TestGgufWriter().String("general.architecture", "mamba").Write(path);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("'mamba' is not supported", error.Message);
    }

    [SharedModelFact]
    public void Open_WhenMagicIsDamaged_ThrowsBadMagic()
    {
        string path = _temp.File("damaged.gguf");
        var bytes = File.ReadAllBytes(SharedModels.Path("stories260K", "stories260K.gguf"));
        bytes[0] = (byte)'X';
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("bad magic", error.Message);
    }

    [SharedModelFact]
    public void Open_WhenRealFileIsCutShort_ThrowsTruncatedNamingATensor()
    {
        string path = _temp.Truncated(SharedModels.Path("stories260K", "stories260K.gguf"), 700_000);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("truncated: tensor 'blk.", error.Message);
    }

    public void Dispose() => _temp.Dispose();
}

using Cluster.Engine.Config;
using Cluster.Engine.Execution;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Generation;
using Cluster.Engine.Models;
using Cluster.Engine.Sampling;
using Cluster.Engine.Tests.Golden;
using Cluster.Engine.Tests.Tokenizers;
using Cluster.Engine.Tests.Weights.Support;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Gguf;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights.Gguf;

/// <summary>Models exported to GGUF and read back by the engine's own loaders.</summary>
public sealed class GgufExporterTests
{
    private static string Bin => SharedModels.Path("stories260K", "stories260K.bin");
    private static string Tok512 => SharedModels.Path("stories260K", "tok512.bin");

    [SharedModelFact]
    public void Export_WhenStories260KToF32_EveryTensorIsBitIdentical()
    {
        using var temp = new TemporaryDirectory();
        using var source = ModelSource.Open(Bin, Tok512);
        string path = Export(source, temp, GgmlType.F32);

        using var exported = CheckpointLoader.Open(path);

        AssertSameShape(source.Checkpoint.Config, exported.Config);
        foreach (string name in HfNames(source.Checkpoint))
        {
            using var expected = source.Checkpoint.Read(name, torch.ScalarType.Float32, torch.CPU);
            using var actual = exported.Read(name, torch.ScalarType.Float32, torch.CPU);
            Assert.True(Tensors.Identical(expected, actual), $"{name} differs after export");
        }
        Assert.False(exported.Contains(TensorNames.LmHead)); // tied: no output.weight
    }

    [SharedModelFact]
    public void Export_WhenStories260KWithTok512_TokenizerEncodesGoldensIdentically()
    {
        using var temp = new TemporaryDirectory();
        using var source = ModelSource.Open(Bin, Tok512);
        string path = Export(source, temp, GgmlType.F32);

        using var exported = ModelSource.Open(path, tokenizerPath: null);

        foreach (var (text, ids) in TokenizerGoldens.EncodeCases())
            Assert.Equal(ids, exported.Tokenizer.Encode(text, addBos: true));
        var greedy = TokenizerGoldens.Greedy();
        Assert.Equal(source.Tokenizer.Decode(greedy.GeneratedIds), exported.Tokenizer.Decode(greedy.GeneratedIds));
        Assert.Equal(source.Tokenizer.EosIds, exported.Tokenizer.EosIds);
        Assert.Equal(source.Tokenizer.BosId, exported.Tokenizer.BosId);
    }

    [SharedModelFact]
    public void Export_WhenF16_MatricesAreRoundedToHalfAndNormsStayExact()
    {
        using var temp = new TemporaryDirectory();
        using var source = ModelSource.Open(Bin, Tok512);
        string path = Export(source, temp, GgmlType.F16);

        using var exported = CheckpointLoader.Open(path);

        Assert.Equal(GgmlType.F16, ((GgufCheckpoint)exported).File.Tensor("blk.0.attn_q.weight").Type);
        Assert.Equal(GgmlType.F32, ((GgufCheckpoint)exported).File.Tensor("blk.0.attn_norm.weight").Type);
        foreach (string name in HfNames(source.Checkpoint))
        {
            using var original = source.Checkpoint.Read(name, torch.ScalarType.Float32, torch.CPU);
            using var halved = original.to(torch.ScalarType.Float16);
            using var expected = original.dim() == 1 ? original.clone() : halved.to(torch.ScalarType.Float32);
            using var actual = exported.Read(name, torch.ScalarType.Float32, torch.CPU);
            Assert.True(Tensors.Identical(expected, actual), $"{name} is not its f16 rounding after export");
        }
    }

    [SharedModelFact]
    public async Task GenerateAsync_WhenExportedF32File_ReproducesLlama2cGolden()
    {
        using var temp = new TemporaryDirectory();
        using (var source = ModelSource.Open(Bin, Tok512))
            Export(source, temp, GgmlType.F32);
        var golden = GreedyGolden.Load();

        using var checkpoint = CheckpointLoader.Open(temp.File("model.gguf"));
        using var chain = await PipelineChain.StartAsync(checkpoint, 2, new StageExecutorOptions { PageSize = 16, PageCount = 32 });
        await using var generator = new LocalGenerator(chain);
        var generated = new List<int>();
        await foreach (var token in generator.GenerateAsync(golden.PromptIds, new SamplingParams { Temperature = 0, MaxTokens = golden.GeneratedIds.Length }))
            generated.Add(token.Token.TokenId);

        Assert.Equal(golden.GeneratedIds, generated);
    }

    [Fact]
    public void Export_WhenSyntheticStories260K_ReopensWithSameTensorsAndByteVocabulary()
    {
        using var temp = new TemporaryDirectory();
        using var source = ModelSource.Open("synthetic:stories260k", tokenizerPath: null);
        string path = Export(source, temp, GgmlType.F32);

        using var exported = ModelSource.Open(path, tokenizerPath: null);

        AssertSameShape(source.Checkpoint.Config, exported.Checkpoint.Config);
        foreach (string name in HfNames(source.Checkpoint))
        {
            using var expected = source.Checkpoint.Read(name, torch.ScalarType.Float32, torch.CPU);
            using var actual = exported.Checkpoint.Read(name, torch.ScalarType.Float32, torch.CPU);
            Assert.True(Tensors.Identical(expected, actual), $"{name} differs after export");
        }
        Assert.True(exported.Checkpoint.Contains(TensorNames.LmHead)); // the synthetic shape is untied
        const string text = "Hello wörld\n<s> ok";
        // GGUF vocabularies parse control-token text by default (chat templates need it); the byte vocabulary never does.
        var reader = Assert.IsAssignableFrom<Cluster.Engine.Tokenizers.Bpe.BpeTokenizer>(exported.Tokenizer);
        Assert.Equal(source.Tokenizer.Encode(text, addBos: true), reader.Encode(text, addBos: true, parseSpecial: false));
        var ids = source.Tokenizer.Encode(text, addBos: true);
        Assert.Equal(text, exported.Tokenizer.Decode(ids));
    }

    [Fact]
    public void Build_WhenTokenizerVocabularyDiffersFromModel_ThrowsNamingBothSizes()
    {
        using var source = ModelSource.Open("synthetic:stories260k", tokenizerPath: null);

        var error = Assert.Throws<ArgumentException>(() =>
            GgufExporter.Build(source.Checkpoint, new Cluster.Engine.Tokenizers.ByteTokenizer(600), "m", GgmlType.F32));

        Assert.Contains("600", error.Message);
        Assert.Contains("512", error.Message);
    }

    private static string Export(LoadedModel model, TemporaryDirectory temp, GgmlType type)
    {
        string path = temp.File("model.gguf");
        int calls = 0;
        GgufExporter.Export(model.Checkpoint, model.Tokenizer, "test", type, path, (_, _, _) => calls++);
        Assert.True(calls > 0);
        return path;
    }

    private static IEnumerable<string> HfNames(ICheckpoint checkpoint)
    {
        var config = checkpoint.Config;
        var names = new List<string> { TensorNames.Embedding, TensorNames.FinalNorm, TensorNames.LmHead };
        for (int l = 0; l < config.NumHiddenLayers; l++)
        {
            names.AddRange([TensorNames.InputNorm(l), TensorNames.PostAttentionNorm(l), TensorNames.Query(l), TensorNames.Key(l),
                TensorNames.Value(l), TensorNames.Output(l), TensorNames.Gate(l), TensorNames.Up(l), TensorNames.Down(l)]);
        }
        return names.Where(checkpoint.Contains);
    }

    private static void AssertSameShape(ModelConfig expected, ModelConfig actual)
    {
        Assert.Equal(expected.VocabSize, actual.VocabSize);
        Assert.Equal(expected.HiddenSize, actual.HiddenSize);
        Assert.Equal(expected.IntermediateSize, actual.IntermediateSize);
        Assert.Equal(expected.NumHiddenLayers, actual.NumHiddenLayers);
        Assert.Equal(expected.NumAttentionHeads, actual.NumAttentionHeads);
        Assert.Equal(expected.NumKeyValueHeads, actual.NumKeyValueHeads);
        Assert.Equal(expected.MaxPositionEmbeddings, actual.MaxPositionEmbeddings);
        Assert.Equal(expected.RmsNormEps, actual.RmsNormEps);
        Assert.Equal(expected.RopeTheta, actual.RopeTheta);
        Assert.Equal(expected.TieWordEmbeddings, actual.TieWordEmbeddings);
    }
}

using Cluster.Engine.Encoders;
using Cluster.Engine.Formats;
using Cluster.Engine.Tests.Support;

namespace Cluster.Engine.Tests.Encoders;

/// <summary>
/// all-MiniLM-L6-v2 through the engine's BERT encoder against the reference package's embeddings
/// of the same sentences: cosine ≥ 0.9999 in float32, alone and batched, in one stage and in two.
/// </summary>
public sealed class EmbeddingModelTests : IClassFixture<EmbeddingModelTests.Reference>
{
    private const double MinCosine = 0.9999;

    private readonly Reference _reference;

    public EmbeddingModelTests(Reference reference) => _reference = reference;

    public static TheoryData<int[]?> Splits() => new() { null, new[] { 3, 3 }, new[] { 1, 4, 1 } };

    [SharedModelTheory]
    [MemberData(nameof(Splits))]
    public void Embed_MatchesTheReference_AloneAndBatched(int[]? stages)
    {
        using var model = EmbeddingModel.Load(Directory(), stages: stages);
        var inputs = EncoderSentences.Plain.Select(s => model.Encode(s, truncate: true)).ToArray();
        var batched = model.Embed(inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            var alone = model.Embed([inputs[i]])[0];
            AssertClose(_reference.Plain[i], alone, EncoderSentences.Plain[i]);
            AssertClose(_reference.Plain[i], batched[i], $"{EncoderSentences.Plain[i]} (in a batch of {inputs.Length})");
        }
    }

    /// <summary>Where the reference's tokenizer departs from BERT's, its model gets the engine's token ids, so the models are still compared on one input.</summary>
    [SharedModelFact]
    public void Embed_OfTextTheReferenceTokenizesOtherwise_MatchesItsModelOnTheSameIds()
    {
        using var model = EmbeddingModel.Load(Directory());
        foreach (var sentence in EncoderSentences.Departing.Append(EncoderSentences.Long))
        {
            var ids = model.Encode(sentence, truncate: true);
            AssertClose(_reference.Embeddings.FromIds(ids), model.Embed([ids])[0], sentence[..Math.Min(40, sentence.Length)]);
        }
    }

    [SharedModelFact]
    public void Embed_IsUnitLength_AndRefusesBadInput()
    {
        using var model = EmbeddingModel.Load(Directory());
        var vector = model.Embed([model.Encode("hello world", truncate: false)])[0];
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() => model.Embed([[101, 30522, 102]])).Message);
        Assert.Contains("1 to 512", Assert.Throws<ArgumentException>(() => model.Embed([new int[513]])).Message);
        Assert.Contains("603 tokens", Assert.Throws<ArgumentException>(() => model.Encode(EncoderSentences.Long, truncate: false)).Message);
    }

    [SharedModelFact]
    public void Load_WithADamagedFile_FailsNamingIt()
    {
        var copy = System.IO.Directory.CreateTempSubdirectory("encoder-").FullName;
        try
        {
            Assert.Contains("config.json not found", Assert.Throws<ModelFormatException>(() => EmbeddingModel.Load(copy)).Message);
            System.IO.Directory.CreateDirectory(Path.Combine(copy, "1_Pooling"));
            foreach (var file in new[] { "config.json", "vocab.txt", "tokenizer_config.json", "modules.json", "1_Pooling/config.json" })
                File.Copy(Path.Combine(Directory(), file), Path.Combine(copy, file));
            Assert.Contains("model.safetensors is missing", Assert.Throws<ModelFormatException>(() => EmbeddingModel.Load(copy)).Message);
            File.WriteAllBytes(Path.Combine(copy, "model.safetensors"), File.ReadAllBytes(Path.Combine(Directory(), "model.safetensors"))[..4096]);
            var error = Assert.Throws<ModelFormatException>(() => EmbeddingModel.Load(copy));
            Assert.Contains("model.safetensors", error.File);
        }
        finally
        {
            System.IO.Directory.Delete(copy, recursive: true);
        }
    }

    private static string Directory() => SharedModels.Path("all-MiniLM-L6-v2-hf");

    private static void AssertClose(float[] expected, float[] actual, string sentence)
    {
        double cosine = ReferenceEmbeddings.Cosine(expected, actual);
        Assert.True(cosine >= MinCosine, $"\"{sentence}\": cosine {cosine:F7} with the reference");
    }

    /// <summary>The reference package's embeddings of <see cref="EncoderSentences.Plain"/>, computed once for the class.</summary>
    public sealed class Reference : IDisposable
    {
        public Reference()
        {
            if (SharedModels.Available) Plain = Embeddings.FromText(EncoderSentences.Plain);
        }

        public ReferenceEmbeddings Embeddings { get; } = new();

        public float[][] Plain { get; } = [];

        public void Dispose() => Embeddings.Dispose();
    }
}

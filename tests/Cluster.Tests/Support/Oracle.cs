using Cluster.Engine.Execution;
using Cluster.Engine.Sampling;
using Cluster.Engine.Config;
using Cluster.Grains.Sequences;

namespace Cluster.Tests.Support;

/// <summary>
/// The single-process answer: the Engine's reference forward (whole model, full recomputation)
/// and the Engine's sampler, under the same stop rules as the sequence grain.
/// </summary>
public static class Oracle
{
    public static int[] Generate(ReferenceForward model, ModelConfig config, GenerateRequest request)
    {
        var sampling = request.Sampling;
        var stops = new HashSet<int>([.. sampling.StopTokenIds, .. sampling.IgnoreEos ? [] : config.EosTokenIds]);
        int max = Math.Min(sampling.MaxTokens, config.MaxPositionEmbeddings - request.PromptTokenIds.Length);
        var tokens = request.PromptTokenIds.ToList();
        var outputs = new List<int>();
        while (outputs.Count < max)
        {
            var logits = model.Logits(tokens);
            var row = Enumerable.Range(0, logits.GetLength(1)).Select(v => logits[tokens.Count - 1, v]).ToArray();
            var token = Sampler.Sample(row, sampling.ToEngine(), SamplingContext.ForNextToken(request.PromptTokenIds, outputs.ToArray(), sampling.Seed ?? 0));
            outputs.Add(token.TokenId);
            tokens.Add(token.TokenId);
            if (stops.Contains(token.TokenId)) break;
        }
        return outputs.ToArray();
    }
}

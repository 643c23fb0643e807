using System.Runtime.CompilerServices;
using System.Text;
using Cluster.Engine.Tokenizers;
using Cluster.Grains.Client;
using Cluster.Grains.Sequences;
using Cluster.Silo.Api.Models;
using Cluster.Silo.Api.Requests;

namespace Cluster.Silo.Api.Generation;

/// <summary>
/// Runs one request on the cluster and turns its token stream into text deltas: streaming
/// detokenization, stop strings, logprobs. Leaving the enumeration early (a stop string, or the
/// client gone) cancels the sequence grain's stream, which frees its pages on every stage.
/// </summary>
public sealed class TextGenerator(IGrainFactory grains, ServedModel model)
{
    public async IAsyncEnumerable<GenerationDelta> GenerateAsync(IReadOnlyList<int> prompt, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new GenerateRequest([.. prompt], options.Sampling);
        var detokenizer = new StreamingDetokenizer(model.Tokenizer, prompt[^1]);
        var stops = new StopStringMatcher(options.Stops);
        int? previous = prompt[^1];
        int generated = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var tokens = grains.GenerateAsync(options.Model, request, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            while (await tokens.MoveNextAsync())
            {
                var token = tokens.Current;
                generated++;
                var logprobs = options.TopLogprobs is null ? [] : new[] { Describe(token, previous) };
                previous = token.TokenId;
                string text = stops.Push(detokenizer.Push(token.TokenId));
                if (stops.Stopped)
                {
                    yield return new GenerationDelta(text, logprobs, FinishReason.Stop, generated);
                    yield break;
                }
                if (token.Finish is { } finish)
                {
                    text += stops.Push(detokenizer.Flush());
                    var reason = stops.Stopped ? FinishReason.Stop : finish;
                    yield return new GenerationDelta(text + stops.Flush(), logprobs, reason, generated);
                    yield break;
                }
                if (text.Length > 0 || logprobs.Length > 0) yield return new GenerationDelta(text, logprobs, null, generated);
            }
        }
        finally
        {
            // Ends the grain's stream now if we stopped early (its finally frees the pages).
            await stop.CancelAsync();
        }
    }

    private TokenLogprobs Describe(GeneratedToken token, int? previous)
    {
        var top = new List<(string, float, byte[])>();
        if (token.TopTokenIds is { } ids && token.TopLogprobs is { } lps)
            for (int i = 0; i < ids.Length; i++)
            {
                var (alternative, altBytes) = Text(ids[i], previous);
                top.Add((alternative, lps[i], altBytes));
            }
        var (text, bytes) = Text(token.TokenId, previous);
        return new TokenLogprobs(text, token.Logprob, bytes, top);
    }

    private (string Text, byte[] Bytes) Text(int id, int? previous)
    {
        byte[] bytes = model.Tokenizer.TokenBytes(id, previous).ToArray();
        return (Encoding.UTF8.GetString(bytes), bytes);
    }
}

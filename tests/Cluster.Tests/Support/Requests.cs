using Cluster.Grains.Sequences;

namespace Cluster.Tests.Support;

/// <summary>Requests of different lengths and sampling settings, the same on every run.</summary>
public static class Requests
{
    public static int[] Prompt(int seed, int length, int vocab)
    {
        var random = new Random(seed);
        return [1, .. Enumerable.Range(0, length - 1).Select(_ => random.Next(3, vocab))];
    }

    /// <summary>Eight requests: prompts of 3 to 90 tokens (some over the prefill chunk), greedy and seeded, 8 to 22 new tokens.</summary>
    public static GenerateRequest[] Mixed(int vocab) =>
    [
        .. new[] { 3, 9, 17, 30, 41, 55, 72, 90 }.Select((length, i) => new GenerateRequest(
            Prompt(100 + i, length, vocab),
            i % 2 == 0
                ? SamplingSettings.Greedy with { MaxTokens = 8 + 2 * i }
                : new SamplingSettings { Temperature = 0.8f, TopK = 40, TopP = 0.95f, Seed = 7 + i, MaxTokens = 8 + 2 * i })),
    ];

    public static async Task<int[]> CollectAsync(IAsyncEnumerable<GeneratedToken> stream, CancellationToken cancellationToken = default)
    {
        var tokens = new List<int>();
        await foreach (var token in stream.WithCancellation(cancellationToken)) tokens.Add(token.TokenId);
        return tokens.ToArray();
    }
}

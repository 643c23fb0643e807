using Cluster.Engine.Execution;
using Cluster.Engine.Model;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Execution;

/// <summary>
/// Prefill and decode through pages against the full-recompute reference: mixed batches, chunked
/// prefill over a cached prefix, prompts crossing page boundaries, pages scattered in the pool.
/// </summary>
public sealed class PagedAttentionTests
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { nameof(RandomModels.Gqa), nameof(RandomModels.Mha), nameof(RandomModels.WithBias) })
            foreach (int pageSize in new[] { 1, 3, 4, 16 })
                data.Add(name, pageSize);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_WhenPrefillAndDecodeMixInBatches_MatchesReferenceLogits(string model, int pageSize)
    {
        var config = RandomModels.ByName(model);
        using var checkpoint = new SyntheticCheckpoint(config, seed: 7);
        using var reference = new ReferenceForward(checkpoint);
        using var executor = await StageExecutor.StartAsync(checkpoint, LayerRange.All(config.NumHiddenLayers),
            new StageExecutorOptions { PageSize = pageSize, PageCount = 64 * 16 / pageSize + 8 });

        var random = new Random(pageSize);
        var scattered = Enumerable.Range(0, executor.PageCount).OrderBy(_ => random.Next()).ToArray();
        int nextPage = 0;
        var sequences = new[] { 5, 9, 17 }.Select((length, i) => new Sequence($"s{i}", RandomModels.Tokens(random, length, config.VocabSize))).ToArray();

        // Step 1: s0 whole prompt, s1 first chunk (4 tokens); s2 waits.
        // Step 2: s0 decodes, s1 prefills the rest over its cached chunk, s2 whole prompt.
        // Steps 3..: everyone decodes one token at a time.
        var plan = new List<(Sequence Sequence, int Count)[]>
        {
            new[] { (sequences[0], sequences[0].Pending), (sequences[1], 4) },
            new[] { (sequences[0], 0), (sequences[1], sequences[1].Pending - 4), (sequences[2], sequences[2].Pending) },
        };
        for (int step = 0; step < 12; step++) plan.Add(sequences.Select(s => (s, 0)).ToArray());

        foreach (var pass in plan)
        {
            var work = new List<StageWork>();
            foreach (var (sequence, count) in pass)
            {
                if (count == 0) sequence.Tokens.Add(random.Next(config.VocabSize)); // a decode step feeds one new token
                int newTokens = count == 0 ? 1 : count;
                while (sequence.Pages.Count * pageSize < sequence.Cached + newTokens) sequence.Pages.Add(scattered[nextPage++]);
                work.Add(new StageWork
                {
                    SequenceId = sequence.Id,
                    CachedTokens = sequence.Cached,
                    PageIds = sequence.Pages.ToArray(),
                    TokenCount = newTokens,
                    TokenIds = sequence.Tokens.Skip(sequence.Cached).Take(newTokens).ToArray(),
                    Output = OutputRequest.RawLogits,
                });
                sequence.Cached += newTokens;
            }

            var results = await executor.RunAsync(work);

            for (int i = 0; i < work.Count; i++)
            {
                var sequence = pass[i].Sequence;
                var expected = reference.Logits(sequence.Tokens.Take(sequence.Cached).ToArray());
                var actual = results[i].Logits!;
                for (int v = 0; v < config.VocabSize; v++)
                    Assert.True(Math.Abs(expected[sequence.Cached - 1, v] - actual[v]) <= Tolerance,
                        $"{sequence.Id} at position {sequence.Cached - 1}, token {v}: paged {actual[v]} vs reference {expected[sequence.Cached - 1, v]}");
            }
        }
    }

    private sealed class Sequence(string id, int[] prompt)
    {
        public string Id { get; } = id;
        public List<int> Tokens { get; } = prompt.ToList();
        public List<int> Pages { get; } = [];
        public int Cached { get; set; }
        public int Pending => Tokens.Count - Cached;
    }
}

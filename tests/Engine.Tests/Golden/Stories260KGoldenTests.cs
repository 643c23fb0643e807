using Cluster.Engine.Execution;
using Cluster.Engine.Generation;
using Cluster.Engine.Sampling;
using Cluster.Engine.Weights;

namespace Cluster.Engine.Tests.Golden;

/// <summary>Greedy generation from the real stories260K weights reproduces llama2.c token for token, from every format.</summary>
public sealed class Stories260KGoldenTests
{
    public static TheoryData<string, int, int> Sources() => new()
    {
        { "stories260K/stories260K.bin", 1, 16 },
        { "stories260K/stories260K.gguf", 1, 16 },
        { "stories260K-hf", 1, 16 },
        { "stories260K/stories260K.bin", 3, 5 },
        { "stories260K/stories260K.gguf", 5, 7 },
        { "stories260K-hf", 2, 1 },
    };

    [SharedModelTheory]
    [MemberData(nameof(Sources))]
    public async Task GenerateAsync_WhenGreedy_ReproducesLlama2cGolden(string source, int stages, int pageSize)
    {
        var golden = GreedyGolden.Load();
        using var checkpoint = CheckpointLoader.Open(SharedModels.Path(source.Split('/')));
        using var chain = await PipelineChain.StartAsync(checkpoint, stages, new StageExecutorOptions { PageSize = pageSize, PageCount = 256 / pageSize + 8 });
        await using var generator = new LocalGenerator(chain);

        var generated = new List<int>();
        await foreach (var token in generator.GenerateAsync(golden.PromptIds, new SamplingParams { Temperature = 0, MaxTokens = golden.GeneratedIds.Length }))
            generated.Add(token.Token.TokenId);

        Assert.Equal(golden.GeneratedIds, generated);
        Assert.Equal(0, generator.Pages.UsedPages);
    }

    [SharedModelFact]
    public void GenerateGreedy_WhenReferenceForwardRunsBin_ReproducesLlama2cGolden()
    {
        var golden = GreedyGolden.Load();
        using var checkpoint = CheckpointLoader.Open(SharedModels.Path("stories260K", "stories260K.bin"));
        using var reference = new ReferenceForward(checkpoint);
        Assert.Equal(golden.GeneratedIds, reference.GenerateGreedy(golden.PromptIds, golden.GeneratedIds.Length));
    }
}

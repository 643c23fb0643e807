using Cluster.Client.Http;
using Cluster.Engine.Execution;
using Cluster.Engine.Generation;
using Cluster.Engine.Models;
using Cluster.Engine.Sampling;
using Cluster.Engine.Tokenizers;

namespace Cluster.Client.Commands.Generate;

/// <summary><c>generate</c> without <c>--url</c>: the engine alone, in this process, on a model file.</summary>
internal static class LocalGeneration
{
    public static async Task<int> RunAsync(LocalModel model, string prompt, SamplingRequest request, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        using var loaded = ModelSource.Open(model.Path, model.Tokenizer);
        await error.WriteLineAsync($"model: {loaded.Description}");
        var sampling = new SamplingParams
        {
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopK = request.TopK,
            Seed = request.Seed,
            MaxTokens = request.MaxTokens,
        };
        sampling.Validate();
        var options = new StageExecutorOptions { Dtype = DtypeNames.Parse(model.Dtype) };
        using var chain = await PipelineChain.StartAsync(loaded.Checkpoint, model.Stages, options);
        await using var generator = new LocalGenerator(chain);

        var ids = loaded.Tokenizer.Encode(prompt, addBos: true);
        await output.WriteAsync(prompt);
        var detokenizer = new StreamingDetokenizer(loaded.Tokenizer, ids[^1]);
        FinishReason? finish = null;
        await foreach (var token in generator.GenerateAsync(ids, sampling, cancel))
        {
            await output.WriteAsync(detokenizer.Push(token.Token.TokenId));
            await output.FlushAsync(CancellationToken.None);
            finish = token.Finish;
        }
        await output.WriteLineAsync(detokenizer.Flush());
        await error.WriteLineAsync($"[finish: {finish?.ToString().ToLowerInvariant() ?? "cancelled"}]");
        return 0;
    }
}

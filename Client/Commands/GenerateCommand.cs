using System.CommandLine;
using Cluster.Engine.Execution;
using Cluster.Engine.Generation;
using Cluster.Engine.Models;
using Cluster.Engine.Sampling;
using Cluster.Engine.Tokenizers;

namespace Cluster.Client.Commands;

/// <summary><c>generate</c>: text from a model file with the engine alone, printed as it is produced.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "HF directory, .gguf, llama2.c .bin, or synthetic:SHAPE (default: the embedded model)" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer file for llama2.c models (tokenizer.bin)" };
        var prompt = new Option<string>("--prompt") { Description = "the prompt", DefaultValueFactory = _ => "Once upon a time" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "tokens to generate at most", DefaultValueFactory = _ => 64 };
        var temperature = new Option<float>("--temperature") { Description = "0 is greedy", DefaultValueFactory = _ => 0 };
        var topP = new Option<float>("--top-p") { DefaultValueFactory = _ => 1 };
        var topK = new Option<int>("--top-k") { DefaultValueFactory = _ => 0 };
        var seed = new Option<long?>("--seed") { Description = "makes sampling reproducible" };
        var stages = new Option<int>("--stages") { Description = "split the layers into this many stages (one thread each)", DefaultValueFactory = _ => 1 };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16", DefaultValueFactory = _ => "float32" };
        var command = new Command("generate", "Generate text from a model with the engine alone (no cluster)")
        {
            model, tokenizer, prompt, maxTokens, temperature, topP, topK, seed, stages, dtype,
        };
        command.SetAction(async (result, cancel) =>
        {
            using var loaded = ModelSource.Open(result.GetValue(model), result.GetValue(tokenizer));
            Console.Error.WriteLine($"model: {loaded.Description}");
            var sampling = new SamplingParams
            {
                Temperature = result.GetValue(temperature),
                TopP = result.GetValue(topP),
                TopK = result.GetValue(topK),
                Seed = result.GetValue(seed),
                MaxTokens = result.GetValue(maxTokens),
            };
            sampling.Validate();
            var options = new StageExecutorOptions { Dtype = DtypeNames.Parse(result.GetValue(dtype)!) };
            using var chain = await PipelineChain.StartAsync(loaded.Checkpoint, result.GetValue(stages), options);
            await using var generator = new LocalGenerator(chain);

            var text = result.GetValue(prompt)!;
            var ids = loaded.Tokenizer.Encode(text, addBos: true);
            Console.Write(text);
            var detokenizer = new StreamingDetokenizer(loaded.Tokenizer, ids[^1]);
            FinishReason? finish = null;
            await foreach (var token in generator.GenerateAsync(ids, sampling, cancel))
            {
                Console.Write(detokenizer.Push(token.Token.TokenId));
                finish = token.Finish;
            }
            Console.WriteLine(detokenizer.Flush());
            Console.Error.WriteLine($"[finish: {finish?.ToString().ToLowerInvariant() ?? "cancelled"}]");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Cluster.Client.Commands.Server;

namespace Cluster.Client.Commands.Generate;

/// <summary>
/// <c>generate</c>: text printed as it is produced, either by the engine alone on a model file or,
/// with <c>--url</c>, by a server over HTTP; the sampling switches are the same in both modes.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var url = ServerOptions.Url(required: false);
        url.Description = "stream from this server instead of running the engine here, e.g. http://127.0.0.1:8080";
        var model = new Option<string?>("--model")
        {
            Description = "engine-local: HF directory, .gguf, llama2.c .bin, or synthetic:SHAPE (default: the embedded model); with --url: the model id (default: the server's)",
        };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer file for llama2.c models (tokenizer.bin); engine-local only" };
        var prompt = new Option<string>("--prompt") { Description = "the prompt", DefaultValueFactory = _ => "Once upon a time" };
        var sampling = new SamplingOptions(defaultMaxTokens: 64);
        var stages = new Option<int>("--stages") { Description = "split the layers into this many stages (one thread each); engine-local only", DefaultValueFactory = _ => 1 };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16; engine-local only", DefaultValueFactory = _ => "float32" };
        var command = new Command("generate", "Generate text with the engine alone, or from a server with --url") { url, model, tokenizer, prompt, stages, dtype };
        sampling.AddTo(command);
        command.Validators.Add(result =>
        {
            // Switches of one mode given in the other would be silently ignored; say so instead.
            bool remote = result.GetValue(url) is not null;
            Option[] wrongMode = remote ? [tokenizer, stages, dtype] : [sampling.Stop];
            foreach (var option in wrongMode.Where(o => result.GetResult(o) is { Implicit: false }))
                result.AddError($"{option.Name} {(remote ? "applies to the engine-local mode (without --url)" : "needs --url (the server matches stop strings)")}");
        });
        command.SetAction((result, cancel) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            string text = result.GetValue(prompt)!;
            var request = sampling.Read(result);
            return result.GetValue(url) is { } server
                ? ServerGeneration.RunAsync(server, result.GetValue(model), text, request, output, error, cancel)
                : LocalGeneration.RunAsync(
                    new LocalModel(result.GetValue(model), result.GetValue(tokenizer), result.GetValue(stages), result.GetValue(dtype)!),
                    text, request, output, error, cancel);
        });
        return command;
    }
}

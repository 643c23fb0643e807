using System.CommandLine;
using Cluster.Client.Http;

namespace Cluster.Client.Commands.Server;

/// <summary>
/// The sampling switches that <c>generate</c> (engine-local or <c>--url</c>) and <c>chat</c> share,
/// so both modes take the same flags with the same defaults.
/// </summary>
internal sealed class SamplingOptions
{
    public SamplingOptions(int defaultMaxTokens)
    {
        MaxTokens = new Option<int>("--max-tokens") { Description = "tokens to generate at most", DefaultValueFactory = _ => defaultMaxTokens };
    }

    public Option<int> MaxTokens { get; }

    public Option<float> Temperature { get; } = new("--temperature") { Description = "0 is greedy", DefaultValueFactory = _ => 0 };

    public Option<float> TopP { get; } = new("--top-p") { Description = "nucleus sampling mass", DefaultValueFactory = _ => 1 };

    public Option<int> TopK { get; } = new("--top-k") { Description = "sample among the k likeliest tokens (0 is off)", DefaultValueFactory = _ => 0 };

    public Option<long?> Seed { get; } = new("--seed") { Description = "makes sampling reproducible" };

    public Option<string[]> Stop { get; } = new("--stop") { Description = "end the answer before this text (repeatable; server only)" };

    public IEnumerable<Option> All => [MaxTokens, Temperature, TopP, TopK, Seed, Stop];

    public void AddTo(Command command)
    {
        foreach (var option in All)
            command.Options.Add(option);
    }

    public SamplingRequest Read(ParseResult result) => new()
    {
        MaxTokens = result.GetValue(MaxTokens),
        Temperature = result.GetValue(Temperature),
        TopP = result.GetValue(TopP),
        TopK = result.GetValue(TopK),
        Seed = result.GetValue(Seed),
        Stop = result.GetValue(Stop) ?? [],
    };
}

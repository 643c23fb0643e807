namespace Cluster.Client.Commands.Generate;

/// <summary>What the engine-local mode loads and how it runs it.</summary>
internal sealed record LocalModel(string? Path, string? Tokenizer, int Stages, string Dtype);

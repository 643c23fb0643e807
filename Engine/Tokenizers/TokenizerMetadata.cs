namespace Cluster.Engine.Tokenizers;

/// <summary>
/// What a model's files say around the vocabulary: its BOS/EOS ids, whether prompts start with
/// BOS (Llama 2: yes; GPT-2, Qwen2: no), and its chat template.
/// </summary>
public sealed record TokenizerMetadata(int? BosId, IReadOnlyList<int> EosIds, bool AddBos, string? ChatTemplate);

using Cluster.Grains.Sequences;

namespace Cluster.Silo.Api.Generation;

/// <summary>
/// New output of a generation: text that is final (no stop string can still claim it), the
/// tokens that arrived with it, and on the last delta why it finished.
/// </summary>
public sealed record GenerationDelta(string Text, IReadOnlyList<TokenLogprobs> Tokens, FinishReason? Finish, int CompletionTokens);

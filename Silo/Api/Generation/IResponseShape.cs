using System.Text.Json.Nodes;

namespace Cluster.Silo.Api.Generation;

/// <summary>The OpenAI JSON shapes of one endpoint (completions or chat), whole and streamed.</summary>
public interface IResponseShape
{
    /// <summary>The GenAI semantic conventions' operation name: <c>text_completion</c> or <c>chat</c>.</summary>
    string Operation { get; }

    JsonObject Whole(string text, IReadOnlyList<TokenLogprobs> tokens, string finishReason, JsonObject usage);

    /// <summary>A chunk sent before any token (chat's role announcement), or null.</summary>
    JsonObject? First();

    JsonObject Chunk(string text, IReadOnlyList<TokenLogprobs> tokens, string? finishReason);

    /// <summary>The last chunk of <c>stream_options.include_usage</c>: no choices, the usage.</summary>
    JsonObject UsageChunk(JsonObject usage);
}

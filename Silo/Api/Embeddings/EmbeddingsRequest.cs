namespace Cluster.Silo.Api.Embeddings;

/// <summary>A checked <c>POST /v1/embeddings</c> body: the inputs as framed token ids, and how to answer.</summary>
public sealed record EmbeddingsRequest(string Model, IReadOnlyList<int[]> Inputs, bool Base64);

namespace Cluster.Silo.Api.Errors;

/// <summary>The OpenAI error envelope: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record ApiError(ApiErrorBody Error);

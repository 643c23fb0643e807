namespace Cluster.Client.Http;

/// <summary>One message of a chat request (<c>system</c>, <c>user</c> or <c>assistant</c>).</summary>
internal sealed record ChatMessage(string Role, string Content);

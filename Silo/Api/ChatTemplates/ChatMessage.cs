namespace Cluster.Silo.Api.ChatTemplates;

/// <summary>One chat message as templates see it: its role and its text.</summary>
public sealed record ChatMessage(string Role, string Content);

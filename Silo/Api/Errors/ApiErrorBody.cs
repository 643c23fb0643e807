namespace Cluster.Silo.Api.Errors;

/// <summary>What went wrong, and which request field (param) it was about.</summary>
public sealed record ApiErrorBody(string Message, string Type, string? Param, string? Code);

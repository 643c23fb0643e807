namespace Cluster.Silo.Api.Ui;

/// <summary>One file of the page, read once from the assembly.</summary>
public sealed record UiAsset(string Name, byte[] Content, string ContentType);

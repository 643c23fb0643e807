namespace Cluster.Client.Http;

/// <summary>What <c>GET /ready</c> answered: ready, or not yet with the server's reason.</summary>
internal sealed record ReadyState(bool Ready, string Detail);

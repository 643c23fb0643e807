namespace Cluster.Silo.Api.Security;

/// <summary>How a route outside the OpenAI API proper (<c>/metrics</c>, the status endpoint, the live page) is served.</summary>
public enum EndpointAccess
{
    /// <summary>To anyone, with or without a key.</summary>
    Open,

    /// <summary>Only with one of the API keys, when keys are set (open when none are).</summary>
    Key,

    /// <summary>Not at all: the route answers 404 as if it did not exist.</summary>
    Off,
}

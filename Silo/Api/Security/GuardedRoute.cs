namespace Cluster.Silo.Api.Security;

/// <summary>Which switch decides who may call a route.</summary>
public enum GuardedRoute
{
    /// <summary>Health and readiness (probes carry no key), and anything that is no route of ours.</summary>
    Open,

    /// <summary>The OpenAI API: every <c>/v1/*</c> route but the status endpoint.</summary>
    Api,

    Metrics,

    Status,

    /// <summary>The live page and its assets, and the Orleans Dashboard.</summary>
    Ui,
}

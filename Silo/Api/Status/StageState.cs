namespace Cluster.Silo.Api.Status;

/// <summary>How a stage appears on the status and the live page.</summary>
public enum StageState
{
    /// <summary>It answered with its figures.</summary>
    Serving,

    /// <summary>Its silo is gone (or does not answer) and no other silo has taken its layers yet.</summary>
    Lost,

    /// <summary>Placed on a silo that took a lost stage's layers over, and still loading them.</summary>
    Replacing,
}

namespace Cluster.Deploy.Tests.Support;

/// <summary>A fact that needs kubectl: skipped where it is missing, unless CI=true.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute() => Skip = Ci.SkipUnless(Kubectl.ExecutablePath is not null, Kubectl.SkipReason);
}

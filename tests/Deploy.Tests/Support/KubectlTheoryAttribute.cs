namespace Cluster.Deploy.Tests.Support;

/// <summary>A theory that needs kubectl: skipped where it is missing, unless CI=true.</summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute() => Skip = Ci.SkipUnless(Kubectl.ExecutablePath is not null, Kubectl.SkipReason);
}

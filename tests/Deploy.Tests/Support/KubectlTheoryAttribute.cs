namespace Cluster.Deploy.Tests.Support;

/// <summary>A theory that needs kubectl: skipped where it is missing, unless CI=true.</summary>
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.ExecutablePath is null && !Kubectl.Required)
        {
            Skip = "kubectl is not on PATH, so k8s/ cannot be rendered (install kubectl; with CI=true this fails instead).";
        }
    }
}

namespace Cluster.Deploy.Tests.Support;

/// <summary>A fact that needs kubectl: skipped where it is missing, unless CI=true.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.ExecutablePath is null && !Kubectl.Required)
        {
            Skip = "kubectl is not on PATH, so k8s/ cannot be rendered (install kubectl; with CI=true this fails instead).";
        }
    }
}

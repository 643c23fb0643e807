using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

public sealed class OverlayRenderTests
{
    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Kustomize_WhenOverlayRendered_ContainsEveryPartOfTheDeployment(string overlay)
    {
        var rendered = Rendered.Of(overlay);

        rendered.Single("Namespace", "llm-cluster");
        rendered.Single("ServiceAccount", "silo");
        rendered.Single("Role", "orleans-hosting");
        rendered.Single("RoleBinding", "orleans-hosting");
        rendered.Single("Deployment", "redis");
        rendered.Single("Service", "redis");
        rendered.Single("PersistentVolumeClaim", "models");
        rendered.Single("StatefulSet", "silo-stage-a");
        rendered.Single("StatefulSet", "silo-stage-b");
        rendered.Single("Service", "silo-api");
        rendered.Single("Service", "silo");
        rendered.Single("ServiceMonitor", "silo");
        rendered.Single("ConfigMap", "llm-cluster-dashboard");
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void Kustomize_WhenOverlayRendered_PutsNamespacedObjectsInTheClusterNamespace(string overlay)
    {
        var rendered = Rendered.Of(overlay);

        var outside = rendered.Objects
            .Where(o => (string?)o["kind"] != "Namespace")
            .Where(o => (string?)o["metadata"]?["namespace"] != "llm-cluster")
            .Select(o => $"{o["kind"]}/{Rendered.Name(o)}")
            .ToList();
        Assert.Empty(outside);
    }
}

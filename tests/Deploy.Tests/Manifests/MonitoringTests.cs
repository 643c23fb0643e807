using System.Text.Json.Nodes;
using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

public sealed class MonitoringTests
{
    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void ServiceMonitor_WhenRendered_ScrapesTheSiloPodsOnTheMetricsPort(string overlay)
    {
        var rendered = Rendered.Of(overlay);
        var monitor = rendered.Single("ServiceMonitor", "silo");
        Assert.Equal("monitoring.coreos.com/v1", (string?)monitor["apiVersion"]);

        var selector = (monitor["spec"]?["selector"]?["matchLabels"]?.AsObject() ?? [])
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "");
        var services = rendered.OfKind("Service")
            .Where(s => Rendered.Selects(selector, Rendered.Labels(s["metadata"])))
            .ToList();
        var service = Assert.Single(services);

        var endpoint = monitor["spec"]?["endpoints"]?.AsArray().OfType<JsonObject>().Single();
        Assert.Equal("/metrics", (string?)endpoint?["path"]);
        var port = service["spec"]?["ports"]?.AsArray().OfType<JsonObject>()
            .SingleOrDefault(p => (string?)p["name"] == (string?)endpoint?["port"]);
        Assert.True(port is not null, $"service {Rendered.Name(service)} has no port named {endpoint?["port"]}");
        Assert.Equal("http", (string?)port["targetPort"]);

        var podSelector = (service["spec"]?["selector"]?.AsObject() ?? [])
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "");
        Assert.All(rendered.SiloStatefulSets(), s =>
            Assert.True(Rendered.Selects(podSelector, Rendered.Labels(s["spec"]?["template"]?["metadata"])), Rendered.Name(s)));
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void DashboardConfigMap_WhenRendered_CarriesTheSidecarLabelAndTheDashboardFile(string overlay)
    {
        var map = Rendered.Of(overlay).OfKind("ConfigMap")
            .Single(m => Rendered.Labels(m["metadata"]).GetValueOrDefault("grafana_dashboard") == "1");

        var embedded = (string?)map["data"]?["cluster-dashboard.json"];
        Assert.False(string.IsNullOrEmpty(embedded));
        var onDisk = File.ReadAllText(Repository.Path("k8s", "base", "grafana", "cluster-dashboard.json"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(onDisk), JsonNode.Parse(embedded)),
            "the ConfigMap's dashboard differs from k8s/base/grafana/cluster-dashboard.json");
    }
}

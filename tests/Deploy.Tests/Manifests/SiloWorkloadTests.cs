using System.Text.Json.Nodes;
using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

public sealed class SiloWorkloadTests
{
    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloPods_WhenRendered_CarryOneOrleansServiceAndClusterId(string overlay)
    {
        var sets = Rendered.Of(overlay).SiloStatefulSets();

        var ids = sets.Select(s =>
        {
            var labels = Rendered.Labels(s["spec"]?["template"]?["metadata"]);
            Assert.True(labels.TryGetValue("orleans/serviceId", out var service) && service.Length > 0, $"{Rendered.Name(s)}: orleans/serviceId");
            Assert.True(labels.TryGetValue("orleans/clusterId", out var cluster) && cluster.Length > 0, $"{Rendered.Name(s)}: orleans/clusterId");
            return (service, cluster);
        }).Distinct().ToList();
        Assert.Single(ids);
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloContainers_WhenRendered_GetKubernetesHostingVariablesFromTheDownwardApi(string overlay)
    {
        var expected = new Dictionary<string, string>
        {
            ["POD_NAME"] = "metadata.name",
            ["POD_NAMESPACE"] = "metadata.namespace",
            ["POD_IP"] = "status.podIP",
            ["ORLEANS_SERVICE_ID"] = "metadata.labels['orleans/serviceId']",
            ["ORLEANS_CLUSTER_ID"] = "metadata.labels['orleans/clusterId']",
        };

        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            var env = Rendered.SiloContainer(set)["env"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            foreach (var (name, fieldPath) in expected)
            {
                var variable = env.SingleOrDefault(e => (string?)e["name"] == name);
                Assert.True(variable is not null, $"{Rendered.Name(set)}: env {name} missing");
                Assert.Equal(fieldPath, (string?)variable["valueFrom"]?["fieldRef"]?["fieldPath"]);
            }
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloContainers_WhenRendered_ProbeReadyForReadinessAndHealthForLiveness(string overlay)
    {
        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            var container = Rendered.SiloContainer(set);
            Assert.Equal("/ready", (string?)container["readinessProbe"]?["httpGet"]?["path"]);
            Assert.Equal("/health", (string?)container["livenessProbe"]?["httpGet"]?["path"]);
            Assert.Equal("http", (string?)container["readinessProbe"]?["httpGet"]?["port"]);
            Assert.Equal("http", (string?)container["livenessProbe"]?["httpGet"]?["port"]);
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloContainers_WhenRendered_ExposeHttpSiloAndGatewayPorts(string overlay)
    {
        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            var ports = (Rendered.SiloContainer(set)["ports"]?.AsArray().OfType<JsonObject>() ?? [])
                .ToDictionary(p => (string?)p["name"] ?? "", p => (string?)p["containerPort"] ?? "");
            Assert.Equal("8080", ports.GetValueOrDefault("http"));
            Assert.Equal("11111", ports.GetValueOrDefault("silo"));
            Assert.Equal("30000", ports.GetValueOrDefault("gateway"));
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloContainers_WhenRendered_PointAtTheRedisServiceAndTheMountedModel(string overlay)
    {
        var rendered = Rendered.Of(overlay);
        var redisPorts = rendered.Single("Service", "redis")["spec"]?["ports"]?.AsArray()
            .Select(p => (string?)p?["port"]).ToList() ?? [];

        foreach (var set in rendered.SiloStatefulSets())
        {
            var config = rendered.ConfigEnvironment(set);
            Assert.True(config.TryGetValue("Cluster__Redis", out var redis), $"{Rendered.Name(set)}: Cluster__Redis");
            var hostPort = redis.Split(':');
            Assert.Equal("redis", hostPort[0]);
            Assert.Contains(hostPort[1], redisPorts);

            var mounts = Rendered.SiloContainer(set)["volumeMounts"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            var modelMount = mounts.Single(m => (string?)m["name"] == "models");
            Assert.True(config.TryGetValue("Cluster__Model", out var model), $"{Rendered.Name(set)}: Cluster__Model");
            Assert.StartsWith((string?)modelMount["mountPath"] + "/", model, StringComparison.Ordinal);
            Assert.Equal("true", (string?)modelMount["readOnly"]);
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloConfig_WhenRendered_SetsOnlyKeysTheSiloKnows(string overlay)
    {
        // docs/api.md's option tables are tested equal to the silo's --help, which refuses unknown keys at start.
        var documented = File.ReadAllText(Repository.Path("docs", "api.md"));
        var rendered = Rendered.Of(overlay);

        foreach (var set in rendered.SiloStatefulSets())
        {
            foreach (var key in rendered.ConfigEnvironment(set).Keys.Where(k => k.StartsWith("Cluster__", StringComparison.Ordinal) || k.StartsWith("Api__", StringComparison.Ordinal)))
                Assert.True(documented.Contains($"`{key.Replace("__", ":", StringComparison.Ordinal)}`", StringComparison.Ordinal), $"{Rendered.Name(set)}: {key} is no option of the silo");
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void StageGroups_WhenRendered_ServeContiguousLayerRangesFromZero(string overlay)
    {
        var rendered = Rendered.Of(overlay);

        var ranges = rendered.SiloStatefulSets()
            .Select(s => rendered.ConfigEnvironment(s).GetValueOrDefault("Cluster__Layers")
                ?? throw new InvalidOperationException($"{Rendered.Name(s)}: Cluster__Layers missing"))
            .Select(r => r.Split('-').Select(int.Parse).ToArray())
            .OrderBy(r => r[0])
            .ToList();

        Assert.Equal(0, ranges[0][0]);
        for (var i = 0; i < ranges.Count; i++)
        {
            Assert.True(ranges[i][1] >= ranges[i][0], $"range {i} is empty");
            if (i > 0) Assert.Equal(ranges[i - 1][1] + 1, ranges[i][0]);
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void StageGroups_WhenRendered_DoNotWaitForEachOtherToBecomeReady(string overlay)
    {
        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            Assert.Equal("Parallel", (string?)set["spec"]?["podManagementPolicy"]);
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloPods_WhenRendered_CarryPrometheusScrapeAnnotations(string overlay)
    {
        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            var annotations = set["spec"]?["template"]?["metadata"]?["annotations"];
            Assert.Equal("true", (string?)annotations?["prometheus.io/scrape"]);
            Assert.Equal("8080", (string?)annotations?["prometheus.io/port"]);
            Assert.Equal("/metrics", (string?)annotations?["prometheus.io/path"]);
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void ApiService_WhenRendered_MapsPort80ToTheSiloHttpPort(string overlay)
    {
        var rendered = Rendered.Of(overlay);
        var service = rendered.Single("Service", "silo-api");

        Assert.Equal("ClusterIP", (string?)service["spec"]?["type"]);
        var port = service["spec"]?["ports"]?.AsArray().OfType<JsonObject>().Single();
        Assert.Equal("80", (string?)port?["port"]);
        Assert.Equal("http", (string?)port?["targetPort"]);
        var selector = (service["spec"]?["selector"]?.AsObject() ?? [])
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "");
        Assert.All(rendered.SiloStatefulSets(), s =>
            Assert.True(Rendered.Selects(selector, Rendered.Labels(s["spec"]?["template"]?["metadata"])), Rendered.Name(s)));
    }
}

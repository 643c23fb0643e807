using System.Text.Json.Nodes;
using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

/// <summary>
/// The rendered overlays run the silo as a locked-down pod: non-root, read-only root filesystem
/// with only /tmp writable, no privilege escalation, no capabilities, the runtime's seccomp
/// profile, bounded resources; and a NetworkPolicy that opens the Orleans ports to silo pods only.
/// </summary>
public sealed class HardeningTests
{
    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloPods_WhenRendered_AreNonRootReadOnlyAndWithoutCapabilities(string overlay)
    {
        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            var name = Rendered.Name(set);
            var pod = Rendered.PodSpec(set);
            Assert.True(Flag(pod["securityContext"]?["runAsNonRoot"]), $"{name}: pod runAsNonRoot");
            Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]?["seccompProfile"]?["type"]);

            var container = Rendered.SiloContainer(set);
            var security = container["securityContext"];
            Assert.True(Flag(security?["readOnlyRootFilesystem"]), $"{name}: readOnlyRootFilesystem");
            Assert.True(!Flag(security?["allowPrivilegeEscalation"]) && security?["allowPrivilegeEscalation"] is not null, $"{name}: allowPrivilegeEscalation");
            Assert.Equal(["ALL"], security?["capabilities"]?["drop"]?.AsArray().Select(c => (string?)c));

            // The one writable place is an emptyDir at /tmp.
            var mounts = container["volumeMounts"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            var tmp = mounts.SingleOrDefault(m => (string?)m["mountPath"] == "/tmp");
            Assert.True(tmp is not null, $"{name}: /tmp mount");
            var volume = pod["volumes"]?.AsArray().OfType<JsonObject>().Single(v => (string?)v["name"] == (string?)tmp["name"]);
            Assert.NotNull(volume?["emptyDir"]);
            Assert.All(mounts.Where(m => (string?)m["mountPath"] != "/tmp"), m => Assert.True(Flag(m["readOnly"]), $"{name}: {m["mountPath"]} read-only"));
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloContainers_WhenRendered_RequestAndLimitMemoryAndRequestCpu(string overlay)
    {
        foreach (var set in Rendered.Of(overlay).SiloStatefulSets())
        {
            var resources = Rendered.SiloContainer(set)["resources"];
            Assert.False(string.IsNullOrEmpty((string?)resources?["requests"]?["cpu"]), $"{Rendered.Name(set)}: cpu request");
            Assert.False(string.IsNullOrEmpty((string?)resources?["requests"]?["memory"]), $"{Rendered.Name(set)}: memory request");
            Assert.False(string.IsNullOrEmpty((string?)resources?["limits"]?["memory"]), $"{Rendered.Name(set)}: memory limit");
        }
    }

    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void NetworkPolicy_WhenRendered_OpensOrleansPortsToSiloPodsOnly_AndHttpInsideTheCluster(string overlay)
    {
        var policy = Rendered.Of(overlay).Single("NetworkPolicy", "silo");
        Assert.Equal("silo", (string?)policy["spec"]?["podSelector"]?["matchLabels"]?["app.kubernetes.io/name"]);
        Assert.Equal(["Ingress"], policy["spec"]?["policyTypes"]?.AsArray().Select(t => (string?)t));
        var rules = policy["spec"]?["ingress"]?.AsArray().OfType<JsonObject>().ToList() ?? [];

        // Every rule that admits an Orleans port admits silo pods of this namespace and nothing else.
        foreach (var port in new[] { "silo", "gateway" })
        {
            var admitting = rules.Where(r => Ports(r).Contains(port)).ToList();
            Assert.NotEmpty(admitting);
            Assert.All(admitting, r => Assert.All(r["from"]!.AsArray(), peer =>
            {
                Assert.Null(peer!["namespaceSelector"]);
                Assert.Null(peer["ipBlock"]);
                Assert.Equal("silo", (string?)peer["podSelector"]?["matchLabels"]?["app.kubernetes.io/name"]);
            }));
        }
        // HTTP from pods of any namespace (clients, ingress, Prometheus), not from outside the cluster.
        var http = Assert.Single(rules, r => Ports(r).Contains("http"));
        Assert.All(http["from"]!.AsArray(), peer => Assert.Null(peer!["ipBlock"]));
        // No rule without ports or peers (which would admit everything).
        Assert.All(rules, r => Assert.NotEmpty(Ports(r)));
        Assert.All(rules, r => Assert.NotEmpty(r["from"]?.AsArray() ?? []));
    }

    [KubectlTheory]
    [InlineData("cpu")]
    public void RedisNetworkPolicy_WhenRendered_AdmitsSiloPodsOnly(string overlay)
    {
        var policy = Rendered.Of(overlay).Single("NetworkPolicy", "redis");
        var peers = policy["spec"]?["ingress"]?.AsArray().SelectMany(r => r!["from"]!.AsArray()).ToList() ?? [];
        Assert.NotEmpty(peers);
        Assert.All(peers, p => Assert.Equal("silo", (string?)p!["podSelector"]?["matchLabels"]?["app.kubernetes.io/name"]));
    }

    [Fact]
    public void Dockerfile_RunsAsTheImagesNonRootUser()
    {
        var lines = File.ReadAllLines(Repository.Path("Dockerfile")).Select(l => l.Trim()).ToList();
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user);
        Assert.NotEqual("USER 0", user);
    }

    /// <summary>A YAML boolean, which the rendering reads as the string "true" or "false".</summary>
    private static bool Flag(JsonNode? value) => string.Equals(value?.ToString(), "true", StringComparison.OrdinalIgnoreCase);

    private static List<string?> Ports(JsonObject rule) =>
        rule["ports"]?.AsArray().Select(p => p!["port"]?.ToString()).ToList() ?? [];
}

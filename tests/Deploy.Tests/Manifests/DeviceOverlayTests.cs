using System.Text.Json.Nodes;
using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

public sealed class DeviceOverlayTests
{
    private const string Gpu = "nvidia.com/gpu";

    [KubectlFact]
    public void SiloContainers_WhenGpuOverlay_LimitOneGpuAndRunOnGpuNodes()
    {
        var rendered = Rendered.Of("gpu");

        foreach (var set in rendered.SiloStatefulSets())
        {
            var name = Rendered.Name(set);
            var container = Rendered.SiloContainer(set);
            Assert.Equal("1", (string?)container["resources"]?["limits"]?[Gpu]);
            var pod = Rendered.PodSpec(set);
            Assert.True(pod["nodeSelector"]?.AsObject().Count > 0, $"{name}: nodeSelector");
            Assert.Contains(pod["tolerations"]?.AsArray().OfType<JsonObject>() ?? [], t => (string?)t["key"] == Gpu);
            Assert.EndsWith(":cuda", (string?)container["image"], StringComparison.Ordinal);

            var config = rendered.ConfigEnvironment(set);
            Assert.Equal("cuda:0", config.GetValueOrDefault("Cluster__Device"));
            Assert.Equal("bfloat16", config.GetValueOrDefault("Cluster__Dtype"));
        }
    }

    [KubectlFact]
    public void Workloads_WhenGpuOverlay_KeepRedisOffTheGpu()
    {
        var redis = Rendered.Of("gpu").Single("Deployment", "redis");

        Assert.DoesNotContain(Gpu, redis.ToJsonString(), StringComparison.Ordinal);
    }

    [KubectlFact]
    public void Manifests_WhenCpuOverlay_NeitherRequestNorTolerateGpus()
    {
        var rendered = Rendered.Of("cpu");

        Assert.DoesNotContain(Gpu, rendered.Yaml, StringComparison.Ordinal);
        foreach (var set in rendered.SiloStatefulSets())
        {
            var container = Rendered.SiloContainer(set);
            Assert.False(string.IsNullOrEmpty((string?)container["resources"]?["requests"]?["cpu"]), $"{Rendered.Name(set)}: cpu request");
            Assert.EndsWith(":cpu", (string?)container["image"], StringComparison.Ordinal);
            Assert.Equal("cpu", rendered.ConfigEnvironment(set).GetValueOrDefault("Cluster__Device"));
        }
    }
}

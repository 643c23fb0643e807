using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

/// <summary>The objects one overlay renders to, with look-ups the tests share.</summary>
internal sealed class Rendered
{
    private static readonly ConcurrentDictionary<string, Lazy<Rendered>> Cache = new();

    private Rendered(string overlay, string yaml)
    {
        Overlay = overlay;
        Yaml = yaml;
        Objects = YamlJson.ParseDocuments(yaml);
    }

    public string Overlay { get; }

    public string Yaml { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    /// <summary>Renders <c>k8s/overlays/{overlay}</c> once per test run.</summary>
    public static Rendered Of(string overlay) =>
        Cache.GetOrAdd(overlay, o => new Lazy<Rendered>(() =>
            new Rendered(o, Kubectl.Kustomize(Repository.Path("k8s", "overlays", o))))).Value;

    public IEnumerable<JsonObject> OfKind(string kind) =>
        Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string name)
    {
        var matches = OfKind(kind).Where(o => (string?)o["metadata"]?["name"] == name).ToList();
        Assert.True(matches.Count == 1, $"{Overlay}: expected one {kind} named {name}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The silo workloads: StatefulSets whose pods are labelled app.kubernetes.io/name=silo.</summary>
    public IReadOnlyList<JsonObject> SiloStatefulSets()
    {
        var sets = OfKind("StatefulSet")
            .Where(s => (string?)s["spec"]?["template"]?["metadata"]?["labels"]?["app.kubernetes.io/name"] == "silo")
            .ToList();
        Assert.True(sets.Count >= 2, $"{Overlay}: expected at least two silo stage groups, found {sets.Count}.");
        return sets;
    }

    public static string Name(JsonNode obj) => (string?)obj["metadata"]?["name"] ?? "";

    public static JsonObject PodSpec(JsonObject workload) =>
        workload["spec"]?["template"]?["spec"]?.AsObject()
        ?? throw new InvalidOperationException($"{Name(workload)} has no pod template spec.");

    public static JsonObject SiloContainer(JsonObject workload)
    {
        var containers = PodSpec(workload)["containers"]?.AsArray() ?? [];
        return containers.OfType<JsonObject>().SingleOrDefault(c => (string?)c["name"] == "silo")
            ?? throw new InvalidOperationException($"{Name(workload)} has no container named silo.");
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? metadata) =>
        (metadata?["labels"]?.AsObject() ?? [])
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "");

    /// <summary>The environment a silo container gets from its envFrom ConfigMaps, in order, then env values.</summary>
    public IReadOnlyDictionary<string, string> ConfigEnvironment(JsonObject workload)
    {
        var result = new Dictionary<string, string>();
        var container = SiloContainer(workload);
        foreach (var source in container["envFrom"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var mapName = (string?)source["configMapRef"]?["name"];
            if (mapName is null) continue;
            var map = Single("ConfigMap", mapName);
            foreach (var (key, value) in map["data"]?.AsObject() ?? []) result[key] = (string?)value ?? "";
        }
        foreach (var variable in container["env"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (variable["value"] is { } value) result[(string?)variable["name"] ?? ""] = (string?)value ?? "";
        }
        return result;
    }

    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

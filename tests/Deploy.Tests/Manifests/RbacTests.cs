using System.Text.Json.Nodes;
using Cluster.Deploy.Tests.Support;

namespace Cluster.Deploy.Tests.Manifests;

public sealed class RbacTests
{
    [KubectlTheory]
    [InlineData("cpu")]
    [InlineData("gpu")]
    public void SiloServiceAccount_WhenRendered_MayReadWatchAndDeletePods(string overlay)
    {
        var rendered = Rendered.Of(overlay);

        foreach (var set in rendered.SiloStatefulSets())
        {
            var account = (string?)Rendered.PodSpec(set)["serviceAccountName"];
            Assert.False(string.IsNullOrEmpty(account), $"{Rendered.Name(set)}: serviceAccountName");
            rendered.Single("ServiceAccount", account);

            var roles = rendered.OfKind("RoleBinding")
                .Where(b => b["subjects"]?.AsArray().OfType<JsonObject>().Any(s =>
                    (string?)s["kind"] == "ServiceAccount" && (string?)s["name"] == account
                    && (string?)s["namespace"] == (string?)b["metadata"]?["namespace"]) == true)
                .Where(b => (string?)b["roleRef"]?["kind"] == "Role")
                .Select(b => rendered.Single("Role", (string?)b["roleRef"]?["name"] ?? ""))
                .ToList();

            var podVerbs = roles
                .SelectMany(r => r["rules"]?.AsArray().OfType<JsonObject>() ?? [])
                .Where(rule => rule["apiGroups"]?.AsArray().Any(g => (string?)g == "") == true
                    && rule["resources"]?.AsArray().Any(r => (string?)r == "pods") == true)
                .SelectMany(rule => rule["verbs"]?.AsArray().Select(v => (string?)v ?? "") ?? [])
                .ToHashSet();
            Assert.Superset(new HashSet<string> { "get", "watch", "list", "delete" }, podVerbs);
        }
    }
}

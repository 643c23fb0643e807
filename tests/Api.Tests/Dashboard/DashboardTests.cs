using System.Net;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Dashboard;

public sealed class DashboardTests(DashboardSiloServer server) : IClassFixture<DashboardSiloServer>
{
    [Fact]
    public async Task Dashboard_WhenFlagIsOn_ServesTheOrleansDashboardUnderDashboard()
    {
        using var page = await server.Http.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType ?? "");
        Assert.Contains("Orleans", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_WhenEmbeddedDefaultServes_AreScrapable()
    {
        using var metrics = await server.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("cluster_stage_pages_free", await metrics.Content.ReadAsStringAsync());
    }
}

using System.Net;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Ui;

/// <summary><c>--ui false</c> takes the page away and leaves the API as it was.</summary>
public sealed class UiSwitchTests(NoUiSiloServer server) : IClassFixture<NoUiSiloServer>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/ui")]
    [InlineData("/ui/app.js")]
    public async Task Page_WhenSwitchedOff_IsNotServed(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Status_WhenPageSwitchedOff_StillAnswersWithoutAHistory()
    {
        var status = System.Text.Json.Nodes.JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;
        Assert.NotEmpty(status["stages"]!.AsArray());
        Assert.Empty(status["history"]!.AsArray());
    }
}

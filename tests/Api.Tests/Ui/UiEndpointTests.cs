using System.Net;
using System.Text.RegularExpressions;
using Cluster.Api.Tests.Support;
using Cluster.Silo.Api.Ui;

namespace Cluster.Api.Tests.Ui;

/// <summary>The page's files come out of the silo itself, and nothing in them reaches for the internet.</summary>
public sealed partial class UiEndpointTests(EmbeddedSiloServer server) : IClassFixture<EmbeddedSiloServer>
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/ui", "text/html")]
    [InlineData("/ui/app.js", "text/javascript")]
    [InlineData("/ui/style.css", "text/css")]
    public async Task Page_WhenOn_ServesItsFilesFromTheSilo(string path, string mediaType)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Page_WhenItNamesScriptsAndStyles_ServesEveryOneOfThem()
    {
        string html = await server.Http.GetStringAsync("/");
        var referenced = LocalReference().Matches(html).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains("/ui/app.js", referenced);
        foreach (var path in referenced)
        {
            using var response = await server.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public void Assets_WhenRead_ReferenceNothingOutsideTheSilo()
    {
        var assets = new UiAssets();
        Assert.Contains("index.html", assets.Names);
        foreach (var name in assets.Names)
        {
            string text = System.Text.Encoding.UTF8.GetString(assets.Find(name)!.Content);
            // The SVG namespace is an identifier, not a fetch.
            var external = ExternalUrl().Matches(text).Select(m => m.Value).Where(u => !u.StartsWith("http://www.w3.org/", StringComparison.Ordinal)).ToList();
            Assert.True(external.Count == 0, $"{name} reaches outside the silo: {string.Join(", ", external)}");
        }
    }

    [Fact]
    public async Task Page_WhenNotFound_Answers404()
    {
        using var response = await server.Http.GetAsync("/ui/missing.js");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("(?:src|href)=\"(?<path>/[^\"]+)\"")]
    private static partial Regex LocalReference();

    [GeneratedRegex(@"(?:https?:)?//[a-zA-Z0-9.-]+\.[a-z]{2,}[^\s""')]*")]
    private static partial Regex ExternalUrl();
}

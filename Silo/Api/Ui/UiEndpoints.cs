using Cluster.Silo.Api.Hosting;

namespace Cluster.Silo.Api.Ui;

/// <summary>
/// The live cluster page: <c>/</c> and <c>/ui</c> answer its HTML, <c>/ui/NAME</c> its scripts and
/// style, all embedded in the silo's assembly. It reads <c>/v1/cluster/status</c> and streams
/// through <c>/v1/completions</c> like any client.
/// </summary>
public static class UiEndpoints
{
    private const string Page = "index.html";

    public static bool Enabled(IConfiguration configuration) =>
        configuration.GetValue(ApiOptions.Section + ":" + nameof(ApiOptions.Ui), new ApiOptions().Ui);

    public static WebApplication MapClusterPage(this WebApplication app)
    {
        var assets = new UiAssets();
        app.MapGet("/", () => Serve(assets, Page));
        app.MapGet("/ui", () => Serve(assets, Page));
        app.MapGet("/ui/{name}", (string name) => Serve(assets, name));
        return app;
    }

    private static IResult Serve(UiAssets assets, string name) =>
        assets.Find(name) is { } asset ? Results.Bytes(asset.Content, asset.ContentType) : Results.NotFound();
}

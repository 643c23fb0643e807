using System.Reflection;

namespace Cluster.Silo.Api.Ui;

/// <summary>The page's files, embedded under <c>ui/</c> (Silo.csproj), loaded when the page is mapped.</summary>
public sealed class UiAssets
{
    private const string Prefix = "ui/";
    private readonly Dictionary<string, UiAsset> _assets;

    public UiAssets()
    {
        var assembly = typeof(UiAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => new UiAsset(n[Prefix.Length..], Read(assembly, n), ContentType(n)))
            .ToDictionary(a => a.Name, StringComparer.Ordinal);
        if (!_assets.ContainsKey("index.html")) throw new InvalidOperationException("the silo was built without its page (Api/Ui/wwwroot/index.html)");
    }

    public IEnumerable<string> Names => _assets.Keys;

    public UiAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

namespace Cluster.TestSupport;

/// <summary>The checkout the tests run from, found by walking up from the test's output folder to <c>Cluster.sln</c>.</summary>
public static class Repository
{
    private static readonly Lazy<string?> FoundRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        return null;
    });

    /// <summary>The repository's root; null where the tests run outside a checkout.</summary>
    public static string? Root => FoundRoot.Value;

    /// <summary>A path inside the repository; throws outside a checkout, where no test could find its files anyway.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}."), .. parts]);
}

namespace Cluster.Engine.Tests.Support;

/// <summary>
/// The real model files and goldens in <c>../shared/models</c> beside the repository. A user's
/// fresh clone may not have them (tests skip); CI always does (a missing folder fails there).
/// </summary>
public static class SharedModels
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    public static bool Available => Root.Value is not null;

    public static bool RequiredByCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string SkipReason =>
        "../shared/models is not beside the repository; these tests need its real model files.";

    /// <summary>The full path of a file or folder under shared/models.</summary>
    public static string Path(params string[] parts)
    {
        var root = Root.Value ?? throw new InvalidOperationException(SkipReason);
        return System.IO.Path.Combine([root, .. parts]);
    }

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "models");
            if (Directory.Exists(candidate) && File.Exists(System.IO.Path.Combine(dir.FullName, "Cluster.sln")))
                return System.IO.Path.GetFullPath(candidate);
        }
        return null;
    }
}

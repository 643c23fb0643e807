namespace Cluster.Tests.Support;

/// <summary>
/// The real model files in <c>../shared/models</c> beside the repository (adapted from
/// Engine.Tests): a fresh clone may lack them, CI always has them.
/// </summary>
public static class SharedModels
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    public static bool Available => Root.Value is not null;

    public static bool RequiredByCi => TestEnvironment.IsCi;

    public static string SkipReason => "../shared/models is not beside the repository; these tests need its real model files.";

    public static string Path(params string[] parts)
    {
        var root = Root.Value ?? throw new InvalidOperationException(SkipReason);
        return System.IO.Path.Combine([root, .. parts]);
    }

    /// <summary>The real stories260K where the shared folder is here (always under CI), else its synthetic shape.</summary>
    public static string Stories260K => Available || RequiredByCi ? Path("stories260K", "stories260K.bin") : "synthetic:stories260k";

    private static string? FindRoot()
    {
        var repo = TestEnvironment.RepositoryRoot;
        if (repo is null) return null;
        var candidate = System.IO.Path.Combine(repo, "..", "shared", "models");
        return Directory.Exists(candidate) ? System.IO.Path.GetFullPath(candidate) : null;
    }
}

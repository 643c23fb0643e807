namespace Cluster.Api.Tests.Support;

/// <summary>
/// The real model files in <c>../shared/models</c> beside the repository (as in Engine.Tests): a
/// fresh clone may lack them (tests skip), CI always has them (a missing folder fails there).
/// </summary>
public static class SharedModels
{
    private static readonly Lazy<string?> Root = new(() =>
        RepositoryRoot is { } repo && Directory.Exists(System.IO.Path.Combine(repo, "..", "shared", "models"))
            ? System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "models"))
            : null);

    private static readonly Lazy<string?> Repo = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        return null;
    });

    public static string? RepositoryRoot => Repo.Value;

    public static bool Available => Root.Value is not null;

    public static bool RequiredByCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string SkipReason => "../shared/models is not beside the repository; these tests need its real model files.";

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root.Value ?? throw new InvalidOperationException(SkipReason), .. parts]);
}

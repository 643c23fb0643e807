namespace Cluster.TestSupport;

/// <summary>
/// The real model files and goldens in <c>../shared/models</c> beside the repository. A user's
/// fresh clone may not have them (tests skip); CI always does (a missing folder fails there).
/// </summary>
public static class SharedModels
{
    private static readonly Lazy<string?> Root = new(() =>
        Repository.Root is { } repo && Directory.Exists(System.IO.Path.Combine(repo, "..", "shared", "models"))
            ? System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "models"))
            : null);

    public static bool Available => Root.Value is not null;

    public static bool RequiredByCi => Ci.IsCi;

    public static string SkipReason => "../shared/models is not beside the repository; these tests need its real model files.";

    /// <summary>The full path of a file or folder under shared/models.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root.Value ?? throw new InvalidOperationException(SkipReason), .. parts]);

    /// <summary>The real stories260K where the shared folder is here (always under CI), else its synthetic shape.</summary>
    public static string Stories260K => Available || RequiredByCi ? Path("stories260K", "stories260K.bin") : "synthetic:stories260k";
}

namespace Cluster.TestSupport;

/// <summary>A fresh directory under the system's temporary folder (never in the repository), deleted with what it holds on dispose.</summary>
public sealed class TemporaryDirectory(string prefix = "cluster-tests-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies a file here keeping only its first <paramref name="keepBytes"/> bytes.</summary>
    public string Truncated(string source, long keepBytes)
    {
        string target = File(System.IO.Path.GetFileName(source));
        using var input = System.IO.File.OpenRead(source);
        using var output = System.IO.File.Create(target);
        var buffer = new byte[keepBytes];
        input.ReadExactly(buffer);
        output.Write(buffer);
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mapped file still open elsewhere; the OS temp cleaner gets it.
        }
    }
}

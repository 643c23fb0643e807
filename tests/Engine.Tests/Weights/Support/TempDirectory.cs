namespace Cluster.Engine.Tests.Weights.Support;

/// <summary>A scratch directory removed at dispose, for damaged and synthetic model files.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "weights-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

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

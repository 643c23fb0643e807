namespace Cluster.Engine.Tests.Tokenizers;

/// <summary>Scratch files for damaged-input tests, in the system temp folder (never in the repository).</summary>
internal static class TempFiles
{
    public static string Directory()
    {
        string path = Path.Combine(Path.GetTempPath(), "cluster-tokenizer-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static string Write(string name, byte[] content)
    {
        string path = Path.Combine(Directory(), name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static string Write(string name, string content)
    {
        string path = Path.Combine(Directory(), name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A copy of <paramref name="source"/>, cut to its first <paramref name="keepBytes"/> bytes when given.</summary>
    public static string Copy(string source, int? keepBytes = null)
    {
        byte[] bytes = File.ReadAllBytes(source);
        return Write(Path.GetFileName(source), keepBytes is int keep ? bytes[..keep] : bytes);
    }
}

namespace Cluster.Api.Tests.Support;

/// <summary>A fresh directory under the system's temporary folder, deleted with what it holds on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cluster-api-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

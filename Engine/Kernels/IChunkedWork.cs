namespace Cluster.Engine.Kernels;

/// <summary>Work cut into independent, numbered chunks that any thread may run in any order.</summary>
public interface IChunkedWork
{
    void RunChunk(int chunk);
}

namespace Cluster.Engine.Tests.Decode;

/// <summary>
/// Tests that switch <see cref="Cluster.Engine.Kernels.CpuKernels.Enabled"/>, a process-wide
/// setting, run alone so that no other test's pass changes path under them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CpuKernelsCollection
{
    public const string Name = "cpu kernels switched";
}

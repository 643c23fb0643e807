using System.Runtime.InteropServices;
using Cluster.Engine.Kernels;

namespace Cluster.Engine.Tests.Runtime;

/// <summary>The C environment libgomp reads says PASSIVE once the engine is loaded, unless the process was started with a policy of its own.</summary>
public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void LoadingTheEngine_MakesOpenMpWorkersSleepWhenIdle_UnlessThePolicyWasGiven()
    {
        _ = CpuKernels.Supported; // touches the Engine assembly, which runs its module initializer
        if (!OperatingSystem.IsLinux()) return;
        var native = Marshal.PtrToStringAnsi(getenv("OMP_WAIT_POLICY"));
        var started = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        Assert.Equal(started, native); // the managed view and the C environment agree
        Assert.True(native == "PASSIVE" || StartedWithOwnPolicy, $"OMP_WAIT_POLICY is '{native}'");
    }

    /// <summary>Whether this test process inherited a policy (then it is kept, whatever it says).</summary>
    private static bool StartedWithOwnPolicy =>
        File.ReadAllText("/proc/self/environ").Split('\0').Any(v => v.StartsWith("OMP_WAIT_POLICY=", StringComparison.Ordinal));

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}

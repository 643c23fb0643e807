using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cluster.Engine.Runtime;

/// <summary>
/// libtorch's CPU operators run on OpenMP (libgomp), whose idle workers spin for a while after
/// each operator. Here the engine's own kernel threads, Orleans' scheduler and Kestrel share the
/// same cores, and the spinning takes the cores from them: with <c>OMP_WAIT_POLICY=PASSIVE</c> a
/// silo on the 110M model served 32 streams at 487–499 output tok/s against 381–518 without it,
/// median time to first token 480–548 ms against 635–726 (three alternated pairs,
/// docs/benchmarks.md). libgomp reads the policy once, from the C environment, when it loads, so it
/// is set with <c>setenv</c> as this assembly loads, before any torch call; a policy the user set wins.
/// </summary>
internal static class OpenMpWaitPolicy
{
    private const string Variable = "OMP_WAIT_POLICY";

#pragma warning disable CA2255 // A module initializer is the one place that runs before libtorch loads, whoever loads it.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PassiveUnlessSet()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        Environment.SetEnvironmentVariable(Variable, "PASSIVE"); // the managed view, for child processes and diagnostics
        _ = setenv(Variable, "PASSIVE", overwrite: 0);            // the C environment libgomp reads
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}

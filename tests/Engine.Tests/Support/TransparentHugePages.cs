namespace Cluster.Engine.Tests.Support;

/// <summary>What this machine's kernel says about transparent huge pages.</summary>
public static class TransparentHugePages
{
    private const string EnabledPath = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>The bracketed word of the kernel's setting (always, madvise or never); never where the kernel has no THP.</summary>
    public static string Mode
    {
        get
        {
            if (!OperatingSystem.IsLinux() || !File.Exists(EnabledPath)) return "never";
            var text = File.ReadAllText(EnabledPath);
            int open = text.IndexOf('['), close = text.IndexOf(']');
            return text[(open + 1)..close];
        }
    }

    /// <summary>Whether madvise(MADV_HUGEPAGE) can be asked at all: Linux with THP built in.</summary>
    public static bool CanAdvise => OperatingSystem.IsLinux() && File.Exists(EnabledPath);
}

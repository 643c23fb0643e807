using Cluster.Engine.Memory;

namespace Cluster.Engine.Tests.Memory;

/// <summary>Available memory read from fake /proc and /sys/fs/cgroup trees, and from this machine's.</summary>
public sealed class HostMemoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("host-memory-").FullName;

    private string Proc => Path.Combine(_root, "proc");

    private string Cgroup => Path.Combine(_root, "cgroup");

    public HostMemoryTests()
    {
        Write("proc/meminfo", "MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n");
        Write("proc/self/cgroup", "0::/\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Read_WhenNoCgroupLimit_IsMemAvailable()
    {
        var memory = HostMemory.Read(Proc, Cgroup);

        Assert.Equal(20_000_000L * 1024, memory.AvailableBytes);
        Assert.Null(memory.CgroupLimitBytes);
    }

    [Fact]
    public void Read_WhenCgroupV2LimitIsNearer_IsTheLimitLessWhatTheGroupUsesBesidesReclaimableCache()
    {
        Write("cgroup/memory.max", "4294967296\n");
        Write("cgroup/memory.current", "2147483648\n");
        Write("cgroup/memory.stat", "anon 1073741824\nfile 1073741824\ninactive_file 536870912\n");

        var memory = HostMemory.Read(Proc, Cgroup);

        Assert.Equal(4L << 30, memory.CgroupLimitBytes);
        Assert.Equal((4L << 30) - ((2L << 30) - (512L << 20)), memory.AvailableBytes);
    }

    [Fact]
    public void Read_WhenCgroupV2SaysMax_IsMemAvailable()
    {
        Write("cgroup/memory.max", "max\n");
        Write("cgroup/memory.current", "2147483648\n");

        Assert.Equal(20_000_000L * 1024, HostMemory.Read(Proc, Cgroup).AvailableBytes);
    }

    [Fact]
    public void Read_WhenProcessIsInANestedCgroup_ReadsThatGroupsLimit()
    {
        Write("proc/self/cgroup", "0::/kubepods/pod1/silo\n");
        Write("cgroup/kubepods/pod1/silo/memory.max", "1073741824\n");
        Write("cgroup/kubepods/pod1/silo/memory.current", "268435456\n");

        Assert.Equal((1L << 30) - (256L << 20), HostMemory.Read(Proc, Cgroup).AvailableBytes);
    }

    [Fact]
    public void Read_WhenCgroupV1LimitIsSet_IsTheLimitLessUsage()
    {
        Write("cgroup/memory/memory.limit_in_bytes", "2147483648\n");
        Write("cgroup/memory/memory.usage_in_bytes", "1073741824\n");
        Write("cgroup/memory/memory.stat", "cache 0\ntotal_inactive_file 268435456\n");

        Assert.Equal((2L << 30) - ((1L << 30) - (256L << 20)), HostMemory.Read(Proc, Cgroup).AvailableBytes);
    }

    [Fact]
    public void Read_WhenCgroupV1HasNoLimit_IsMemAvailable()
    {
        Write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        Write("cgroup/memory/memory.usage_in_bytes", "1073741824\n");

        Assert.Equal(20_000_000L * 1024, HostMemory.Read(Proc, Cgroup).AvailableBytes);
    }

    [Fact]
    public void Read_OnThisMachine_IsPositiveAndAtMostMemTotal()
    {
        var memory = HostMemory.Read();

        Assert.InRange(memory.AvailableBytes, 1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes + (1L << 30));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}

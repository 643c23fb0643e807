using System.Globalization;

namespace Cluster.Engine.Memory;

/// <summary>
/// Memory this process may still take on the host: the kernel's <c>MemAvailable</c>, bounded by
/// the container's cgroup limit (v2 <c>memory.max</c> or v1 <c>memory.limit_in_bytes</c>) less
/// what the cgroup uses. Reclaimable page cache (the memory-mapped model files among it) counts as
/// available, as the kernel and the kubelet's working set count it.
/// </summary>
public sealed record HostMemory(long MemAvailableBytes, long? CgroupLimitBytes, long? CgroupUsedBytes)
{
    /// <summary>What may still be allocated: <c>MemAvailable</c>, or less where the cgroup's limit is nearer.</summary>
    public long AvailableBytes => CgroupLimitBytes is { } limit
        ? Math.Max(0, Math.Min(MemAvailableBytes, limit - (CgroupUsedBytes ?? 0)))
        : MemAvailableBytes;

    /// <summary>A v1 "no limit" is the largest page-aligned long; anything this large is no limit.</summary>
    private const long NoLimit = 1L << 60;

    /// <summary>Reads this machine's figures; <paramref name="procRoot"/> and <paramref name="cgroupRoot"/> are for tests.</summary>
    public static HostMemory Read(string procRoot = "/proc", string cgroupRoot = "/sys/fs/cgroup")
    {
        long available = MeminfoKilobytes(Path.Combine(procRoot, "meminfo"), "MemAvailable") * 1024;
        var (limit, used) = CgroupV2(procRoot, cgroupRoot) ?? CgroupV1(cgroupRoot) ?? (null, null);
        return new HostMemory(available, limit, used);
    }

    private static long MeminfoKilobytes(string path, string field)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var number = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(number, CultureInfo.InvariantCulture);
        }
        throw new InvalidDataException($"{path} has no {field} line");
    }

    /// <summary>cgroup v2: this process's group (from /proc/self/cgroup), or the namespace's root inside a container.</summary>
    private static (long?, long?)? CgroupV2(string procRoot, string cgroupRoot)
    {
        var own = File.Exists(Path.Combine(procRoot, "self", "cgroup"))
            ? File.ReadLines(Path.Combine(procRoot, "self", "cgroup")).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..]
            : null;
        foreach (var group in new[] { own is null ? null : Path.Combine(cgroupRoot, own.TrimStart('/')), cgroupRoot })
        {
            if (group is null || !File.Exists(Path.Combine(group, "memory.max"))) continue;
            var max = File.ReadAllText(Path.Combine(group, "memory.max")).Trim();
            if (max == "max") return (null, null);
            long used = Number(Path.Combine(group, "memory.current")) - Stat(Path.Combine(group, "memory.stat"), "inactive_file");
            return (long.Parse(max, CultureInfo.InvariantCulture), used);
        }
        return null;
    }

    private static (long?, long?)? CgroupV1(string cgroupRoot)
    {
        var group = Path.Combine(cgroupRoot, "memory");
        if (!File.Exists(Path.Combine(group, "memory.limit_in_bytes"))) return null;
        long limit = Number(Path.Combine(group, "memory.limit_in_bytes"));
        if (limit >= NoLimit) return (null, null);
        long used = Number(Path.Combine(group, "memory.usage_in_bytes")) - Stat(Path.Combine(group, "memory.stat"), "total_inactive_file");
        return (limit, used);
    }

    private static long Number(string path) => File.Exists(path) ? long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) : 0;

    private static long Stat(string path, string key)
    {
        if (!File.Exists(path)) return 0;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(key.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }
}

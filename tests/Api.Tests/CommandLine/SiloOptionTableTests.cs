using System.Reflection;
using Cluster.Grains.Hosting;
using Cluster.Silo.Api.Hosting;
using Cluster.Silo.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Cluster.Api.Tests.CommandLine;

public sealed class SiloOptionTableTests
{
    [Theory]
    [InlineData(typeof(ClusterSiloOptions), ClusterSiloOptions.Section)]
    [InlineData(typeof(ApiOptions), ApiOptions.Section)]
    public void Table_HasAnOptionForEveryPropertyTheSiloBinds(Type options, string section)
    {
        var settable = options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => $"{section}:{p.Name}");

        Assert.DoesNotContain(settable, key => SiloOptionTable.ForKey(key) is null);
    }

    [Fact]
    public void Table_NamesEachSwitchAndKeyOnce()
    {
        Assert.Equal(SiloOptionTable.All.Count, SiloOptionTable.All.Select(o => o.Switch).Distinct().Count());
        var keys = SiloOptionTable.All.Where(o => o.Key is not null).Select(o => o.Key!.ToLowerInvariant()).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Table_TakesDefaultsFromTheOptionsClasses()
    {
        Assert.Equal(new ClusterSiloOptions().PageSize.ToString(), SiloOptionTable.Find("--page-size")!.DefaultText);
        Assert.Equal(new ApiOptions().MaxQueuedRequests.ToString(), SiloOptionTable.Find("--max-queued-requests")!.DefaultText);
        Assert.Equal(typeof(int), SiloOptionTable.Find("--max-model-len")!.ValueType);
    }

    [Fact]
    public void KeyCheck_WhenSectionKeyIsUnknown_RefusesItWithTheNearestKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:PageSize"] = "16",
            ["Cluster:KvCachMb"] = "64",
            ["Other:Anything"] = "ignored",
        }).Build();

        var refused = Assert.Throws<UsageException>(() => ConfigurationKeyCheck.Check(configuration));

        Assert.Contains("unknown configuration key 'Cluster:KvCachMb'", refused.Message);
        Assert.Contains("did you mean Cluster:KvCacheMb", refused.Message);
    }

    [Fact]
    public void KeyCheck_WhenEveryKeyIsKnown_Passes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Model"] = "m.gguf",
            ["Cluster:Dashboard"] = "true",
            ["Api:ChatTemplate"] = "t.jinja",
        }).Build();

        ConfigurationKeyCheck.Check(configuration);
    }
}

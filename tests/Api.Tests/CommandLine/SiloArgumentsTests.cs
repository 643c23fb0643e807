using Cluster.Silo.CommandLine;

namespace Cluster.Api.Tests.CommandLine;

public sealed class SiloArgumentsTests
{
    [Fact]
    public void Parse_WhenSwitchesHaveValues_BindsTheirKeys()
    {
        var parsed = SiloArguments.Parse(["--model", "m.gguf", "--page-size=32", "--Cluster:KvCacheMb", "128", "--replica", "-1"]);

        Assert.Equal("m.gguf", parsed.Values["Cluster:Model"]);
        Assert.Equal("32", parsed.Values["Cluster:PageSize"]);
        Assert.Equal("128", parsed.Values["Cluster:KvCacheMb"]);
        Assert.Equal("-1", parsed.Values["Cluster:Replica"]);
    }

    [Fact]
    public void Parse_WhenApiKeyRepeats_KeepsEachAsAnElementOfTheList()
    {
        var parsed = SiloArguments.Parse(["--api-key", "k1", "--api-key=k2", "--metrics-access", "Off"]);

        Assert.Equal("k1", parsed.Values["Api:ApiKeys:0"]);
        Assert.Equal("k2", parsed.Values["Api:ApiKeys:1"]);
        Assert.Equal("Off", parsed.Values["Api:MetricsAccess"]);
        Assert.NotNull(SiloOptionTable.ForKey("Api:ApiKeys:1"));
        Assert.Null(SiloOptionTable.ForKey("Api:MaxMessages:0"));
    }

    [Fact]
    public void Parse_WhenAccessIsNoMode_IsRefusedWithTheModes()
    {
        var refused = Assert.Throws<UsageException>(() => SiloArguments.Parse(["--status-access", "private"]));

        Assert.Contains("one of open, key, off", refused.Message);
    }

    [Fact]
    public void Parse_WhenFlagStandsBare_IsTrue()
    {
        var parsed = SiloArguments.Parse(["--auto", "--expect-silos", "2", "--spare"]);

        Assert.Equal("true", parsed.Values["Cluster:Auto"]);
        Assert.Equal("2", parsed.Values["Cluster:ExpectedSilos"]);
        Assert.Equal("true", parsed.Values["Cluster:Spare"]);
        Assert.Equal("false", SiloArguments.Parse(["--huge-pages", "false"]).Values["Cluster:HugePages"]);
    }

    [Fact]
    public void Parse_WhenLoggingKey_PassesItThrough()
    {
        var parsed = SiloArguments.Parse(["--Logging:LogLevel:Default", "Debug"]);

        Assert.Equal("Debug", parsed.Values["Logging:LogLevel:Default"]);
    }

    [Fact]
    public void Parse_WhenHelpOrVerbose_SetsThemAndBindsNothing()
    {
        var parsed = SiloArguments.Parse(["-h", "--verbose"]);

        Assert.True(parsed.Help);
        Assert.True(parsed.Verbose);
        Assert.Empty(parsed.Values);
    }

    [Theory]
    [InlineData("--page-sise", "--page-size")]
    [InlineData("--max-model-length", "--max-model-len")]
    [InlineData("--kvcache-mb", "--kv-cache-mb")]
    [InlineData("--modle", "--model")]
    public void Parse_WhenOptionMisspelt_NamesItAndSuggestsTheNearest(string typed, string nearest)
    {
        var refused = Assert.Throws<UsageException>(() => SiloArguments.Parse([typed, "1"]));

        Assert.StartsWith($"unknown option '{typed}'; did you mean {nearest}", refused.Message);
    }

    [Fact]
    public void Parse_WhenNothingIsNear_SuggestsNothing()
    {
        var refused = Assert.Throws<UsageException>(() => SiloArguments.Parse(["--bogus-option", "1"]));

        Assert.Equal("unknown option '--bogus-option' (--help lists every option)", refused.Message);
    }

    [Theory]
    [InlineData(new[] { "--model" }, "option --model needs a value")]
    [InlineData(new[] { "--model", "--page-size", "8" }, "option --model needs a value")]
    [InlineData(new[] { "--page-size", "big" }, "option --page-size: 'big' is not an integer")]
    [InlineData(new[] { "--stall-check", "1s" }, "option --stall-check: '1s' is not a number")]
    [InlineData(new[] { "--auto", "yes" }, "option --auto: 'yes' is not true or false")]
    [InlineData(new[] { "model.gguf" }, "unexpected argument 'model.gguf'")]
    [InlineData(new[] { "--help=1" }, "option --help takes no value")]
    public void Parse_WhenValueIsMissingOrMistyped_SaysWhich(string[] args, string message)
    {
        var refused = Assert.Throws<UsageException>(() => SiloArguments.Parse(args));

        Assert.StartsWith(message, refused.Message);
    }
}

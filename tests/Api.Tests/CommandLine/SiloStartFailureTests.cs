using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.CommandLine;

/// <summary>The real silo process refusing a start: the exit code and the one line that says why, with no stack trace.</summary>
public sealed class SiloStartFailureTests
{
    [Fact]
    public async Task Start_WhenOptionMisspelt_ExitsTwoNamingItAndTheNearestOptions()
    {
        var run = await SiloCommand.RunAsync(["--max-model-length", "4096"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.Contains("unknown option '--max-model-length'", line);
        Assert.Contains("did you mean --max-model-len", line);
    }

    [Fact]
    public async Task Start_WhenValueIsNotANumber_ExitsTwoNamingTheOption()
    {
        var run = await SiloCommand.RunAsync(["--page-size", "sixteen"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: option --page-size: 'sixteen' is not an integer", Assert.Single(run.Lines));
    }

    [Fact]
    public async Task Start_WhenEnvironmentKeyMisspelt_ExitsTwoNamingTheKey()
    {
        var run = await SiloCommand.RunAsync([], new Dictionary<string, string> { ["Cluster__KvCacheSizeMb"] = "128" });

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.Contains("unknown configuration key 'Cluster:KvCacheSizeMb'", line);
        Assert.Contains("Cluster:KvCacheMb", line);
    }

    [Fact]
    public async Task Start_WhenModelFileIsMissing_ExitsOneNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.gguf");

        var run = await SiloCommand.RunAsync(["--model", missing]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: the silo cannot start: {missing}: no such file or directory", Assert.Single(run.Lines));
    }

    [Fact]
    public async Task Start_WhenEmbeddingModelHasNoWeights_ExitsOneNamingTheFile()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "config.json"),
            "{\"model_type\": \"bert\", \"architectures\": [\"BertModel\"], \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2, " +
            "\"intermediate_size\": 16, \"max_position_embeddings\": 16, \"vocab_size\": 5}");
        File.WriteAllLines(Path.Combine(directory.Path, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"]);

        var run = await SiloCommand.RunAsync(["--embedding-model", directory.Path]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: the silo cannot start: {directory.Path}: model.safetensors is missing: an encoder's weights are read from it", Assert.Single(run.Lines));
    }

    [Fact]
    public async Task Start_WhenOptionValueIsRefused_ExitsOneNamingTheSwitch()
    {
        var run = await SiloCommand.RunAsync(["--page-size", "0"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the silo cannot start: --page-size (Cluster:PageSize) must be positive (is 0)", Assert.Single(run.Lines));
    }

    [SharedModelFact]
    public async Task Start_WhenGgufIsTruncated_ExitsOneNamingTheFileAndTheDamage()
    {
        using var directory = new TemporaryDirectory();
        var damaged = Path.Combine(directory.Path, "stories260K-truncated.gguf");
        var bytes = await File.ReadAllBytesAsync(SharedModels.Path("stories260K", "stories260K.gguf"));
        await File.WriteAllBytesAsync(damaged, bytes[..^5000]);

        var run = await SiloCommand.RunAsync(["--model", damaged]);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.StartsWith($"error: the silo cannot start: {damaged}: truncated: tensor '", line);
    }

    [SharedModelFact]
    public async Task Start_WhenDirectoryHasNoTokenizer_ExitsOneNamingTheDirectory()
    {
        using var directory = new TemporaryDirectory();
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(SharedModels.Path("stories260K-hf", file), Path.Combine(directory.Path, file));

        var run = await SiloCommand.RunAsync(["--model", directory.Path]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: the silo cannot start: {directory.Path}: directory has no tokenizer.json", Assert.Single(run.Lines));
    }

    [Fact]
    public async Task Start_WhenVerbose_AddsTheStackTrace()
    {
        var run = await SiloCommand.RunAsync(["--model", "/no/such/model.gguf", "--verbose"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: the silo cannot start: /no/such/model.gguf", run.Lines[0]);
        Assert.Contains(run.Lines, l => l.StartsWith("at Cluster.Engine.", StringComparison.Ordinal));
    }
}

using Cluster.Engine.Formats;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Gguf;
using Cluster.Engine.Weights.Llama2c;
using Cluster.Engine.Weights.Safetensors;

namespace Cluster.Engine.Tests.Weights;

public sealed class CheckpointLoaderTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    [SharedModelTheory]
    [InlineData("stories260K/stories260K.bin", typeof(Llama2cCheckpoint))]
    [InlineData("stories260K/stories260K.gguf", typeof(GgufCheckpoint))]
    [InlineData("stories260K-hf", typeof(SafetensorsCheckpoint))]
    [InlineData("stories260K-hf/model.safetensors", typeof(SafetensorsCheckpoint))]
    public void Open_WhenPathHoldsAFormat_PicksItsReader(string path, Type expected)
    {
        using var checkpoint = CheckpointLoader.Open(SharedModels.Path(path.Split('/')));

        Assert.IsType(expected, checkpoint);
    }

    [SharedModelFact]
    public void Open_WhenGgufHasAnotherExtension_DetectsItByMagic()
    {
        string path = _temp.File("model.bin");
        File.Copy(SharedModels.Path("stories260K", "stories260K.gguf"), path);

        using var checkpoint = CheckpointLoader.Open(path);

        Assert.IsType<GgufCheckpoint>(checkpoint);
    }

    [Fact]
    public void Open_WhenDirectoryHasNoConfig_ThrowsNamingIt()
    {
        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(_temp.Path));

        Assert.Equal(_temp.Path, error.File);
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public void Open_WhenPathDoesNotExist_ThrowsNamingIt()
    {
        string path = _temp.File("nowhere.gguf");

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
    }

    [Fact]
    public void Open_WhenFileIsNoKnownFormat_ThrowsNamingIt()
    {
        string path = _temp.File("notes.txt");
        File.WriteAllText(path, "These are not weights. Not even a little bit, I promise you.");

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("llama2.c", error.Message);
    }

    public void Dispose() => _temp.Dispose();
}

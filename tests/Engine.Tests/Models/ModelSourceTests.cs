using Cluster.Engine.Formats;
using Cluster.Engine.Models;
using Cluster.Engine.Tokenizers;

namespace Cluster.Engine.Tests.Models;

public sealed class ModelSourceTests
{
    [Fact]
    public void Open_WhenNoModelIsGiven_IsTheLabelledEmbeddedDefault()
    {
        using var model = ModelSource.Open(null, null);
        Assert.True(model.IsEmbeddedDefault);
        Assert.Contains("embedded default", model.Description);
        Assert.IsType<ByteTokenizer>(model.Tokenizer);
        Assert.Equal("Hi", model.Tokenizer.Decode(model.Tokenizer.Encode("Hi", addBos: true)));
    }

    [SharedModelFact]
    public void Open_WhenSyntheticShapeHasATokenizerFile_UsesThatVocabulary()
    {
        using var model = ModelSource.Open("synthetic:stories260k", SharedModels.Path("stories260K", "tok512.bin"));
        Assert.False(model.IsEmbeddedDefault);
        Assert.Equal(new[] { 1, 403, 407, 261, 378 }, model.Tokenizer.Encode("Once upon a time", addBos: true));
    }

    [Fact]
    public void Open_WhenShapeIsUnknown_NamesTheKnownShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSource.Open("synthetic:nope", null));
        Assert.Contains("llama-110m", error.Message);
    }

    [Fact]
    public void Open_WhenPathDoesNotExist_FailsNamingIt()
    {
        var error = Assert.Throws<ModelFormatException>(() => ModelSource.Open("/no/such/model.gguf", null));
        Assert.Contains("/no/such/model.gguf", error.Message);
    }
}

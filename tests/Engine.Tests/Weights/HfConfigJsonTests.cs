using Cluster.Engine.Config;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Tests.Weights;

public sealed class HfConfigJsonTests
{
    private const string Base = """
        "hidden_size": 64, "intermediate_size": 172, "num_hidden_layers": 5, "num_attention_heads": 8, "vocab_size": 512
        """;

    [Fact]
    public void Parse_WhenEosIsOneId_ListsIt()
    {
        var config = HfConfigJson.Parse($$"""{ {{Base}}, "eos_token_id": 2 }""", "config.json");

        Assert.Equal([2], config.EosTokenIds);
    }

    [Fact]
    public void Parse_WhenEosIsAList_KeepsEveryId()
    {
        var config = HfConfigJson.Parse($$"""{ {{Base}}, "eos_token_id": [128001, 128008, 128009] }""", "config.json");

        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
    }

    [Fact]
    public void Parse_WhenOptionalFieldsAbsent_DerivesHeadDimAndKvHeads()
    {
        var config = HfConfigJson.Parse($$"""{ {{Base}} }""", "config.json");

        Assert.Equal(8, config.HeadDim);
        Assert.Equal(8, config.NumKeyValueHeads);
        Assert.Empty(config.EosTokenIds);
        Assert.Null(config.RopeScaling);
    }

    [Fact]
    public void Parse_WhenHeadDimAndRopeScalingGiven_ReadsThem()
    {
        var config = HfConfigJson.Parse($$"""
            { {{Base}}, "head_dim": 16, "num_key_value_heads": 2,
              "rope_scaling": { "rope_type": "llama3", "factor": 8.0, "original_max_position_embeddings": 8192 } }
            """, "config.json");

        Assert.Equal(16, config.HeadDim);
        Assert.Equal(2, config.NumKeyValueHeads);
        Assert.Equal("llama3", config.RopeScaling!.Kind);
        Assert.Equal(8.0, config.RopeScaling.Factor);
    }

    [Theory]
    [InlineData("{ \"hidden_size\": 64, ")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"hidden_size\": \"wide\" }")]
    [InlineData("{ \"eos_token_id\": \"</s>\" }")]
    public void Parse_WhenJsonIsBad_ThrowsNamingTheFile(string json)
    {
        var error = Assert.Throws<ModelFormatException>(() => HfConfigJson.Parse(json, "/models/x/config.json"));

        Assert.Equal("/models/x/config.json", error.File);
    }
}

using Cluster.Engine.Kernels;
using Cluster.Engine.Memory;
using Cluster.Engine.Model;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Synthetic;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Model;

/// <summary>On the CPU a stage's streamed matrices are moved into one buffer in 2 MiB pages, in the order a decode pass reads them.</summary>
public class LlamaStageModelPackingTests
{
    [Theory]
    [InlineData(nameof(RandomModels.Gqa), 0, 3)]
    [InlineData(nameof(RandomModels.Gqa), 1, 3)]
    [InlineData(nameof(RandomModels.Gqa), 0, 2)]
    [InlineData(nameof(RandomModels.WithBias), 0, 4)]
    public void StreamedMatrices_LieOneAfterAnotherInPassOrder(string name, int start, int end)
    {
        var config = RandomModels.ByName(name);
        using var checkpoint = new SyntheticCheckpoint(config, seed: 3);
        using var model = new LlamaStageModel(checkpoint, new LayerRange(start, end, config.NumHiddenLayers), ScalarType.Float32, CPU);

        var inPassOrder = model.layers
            .SelectMany(l => new[] { l.self_attn.qkv_proj, l.self_attn.o_proj, l.mlp.gate_up_proj, l.mlp.down_proj })
            .Concat(model.lm_head is null ? [] : [model.lm_head])
            .ToArray();

        long address = TensorMemory.Pointer(inPassOrder[0]);
        Assert.Equal(0, address % HugePages.PageBytes);
        foreach (var matrix in inPassOrder)
        {
            Assert.Equal(address, (long)TensorMemory.Pointer(matrix));
            address += (matrix.NumberOfElements * sizeof(float) + 63) / 64 * 64;
        }
        Assert.Equal(TransparentHugePages.CanAdvise, model.WeightsInHugePages);
    }

    [Fact]
    public void PackedMatrices_HoldTheCheckpointsValues()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config, seed: 5);
        using var model = new LlamaStageModel(checkpoint, LayerRange.All(config.NumHiddenLayers), ScalarType.Float32, CPU);

        using var q = checkpoint.Read(TensorNames.Query(1), ScalarType.Float32, CPU);
        using var k = checkpoint.Read(TensorNames.Key(1), ScalarType.Float32, CPU);
        using var v = checkpoint.Read(TensorNames.Value(1), ScalarType.Float32, CPU);
        using var down = checkpoint.Read(TensorNames.Down(2), ScalarType.Float32, CPU);
        using var head = checkpoint.Read(TensorNames.LmHead, ScalarType.Float32, CPU);
        Assert.True(model.layers[1].self_attn.qkv_proj.equal(torch.cat([q, k, v], 0)).all().item<bool>());
        Assert.True(model.layers[2].mlp.down_proj.equal(down).all().item<bool>());
        Assert.True(model.lm_head!.equal(head).all().item<bool>());
    }

    [Fact]
    public void TiedHead_IsPackedOnce_AndTheEmbeddingReadsTheSameMemory()
    {
        var config = RandomModels.Mha; // ties the LM head to the embedding
        using var checkpoint = new SyntheticCheckpoint(config, seed: 9);
        using var model = new LlamaStageModel(checkpoint, LayerRange.All(config.NumHiddenLayers), ScalarType.Float32, CPU);

        Assert.Equal(TensorMemory.Pointer(model.lm_head!), TensorMemory.Pointer(model.embed_tokens!));
        using var embedding = checkpoint.Read(TensorNames.Embedding, ScalarType.Float32, CPU);
        Assert.True(model.embed_tokens!.equal(embedding).all().item<bool>());
    }

    [Fact]
    public void WithoutHugePages_MatricesStayWhereTheyWereLoaded()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config, seed: 3);
        using var model = new LlamaStageModel(checkpoint, LayerRange.All(config.NumHiddenLayers), ScalarType.Float32, CPU, hugePages: false);

        Assert.False(model.WeightsInHugePages);
        var qkv = model.layers[0].self_attn.qkv_proj;
        long afterQkv = TensorMemory.Pointer(qkv) + (qkv.NumberOfElements * sizeof(float) + 63) / 64 * 64;
        Assert.NotEqual(afterQkv, (long)TensorMemory.Pointer(model.layers[0].self_attn.o_proj));
    }

    [Fact]
    public void Bfloat16Weights_ArePackedToo()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config, seed: 3);
        using var model = new LlamaStageModel(checkpoint, LayerRange.All(config.NumHiddenLayers), ScalarType.BFloat16, CPU);

        Assert.Equal(ScalarType.BFloat16, model.layers[0].self_attn.qkv_proj.dtype);
        Assert.Equal(0, (long)TensorMemory.Pointer(model.layers[0].self_attn.qkv_proj) % HugePages.PageBytes);
        Assert.Equal(TransparentHugePages.CanAdvise, model.WeightsInHugePages);
    }
}

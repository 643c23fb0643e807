using Cluster.Engine.Formats;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Llama2c;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights.Llama2c;

/// <summary>
/// Synthetic .bin files whose float at position i (after the header) is i, so every tensor's
/// expected contents follow from run.c's array order. (A wrong tensor shape cannot be written in
/// this format: shapes come from the header, and a mismatch shows up as a size error.)
/// </summary>
public sealed class Llama2cCheckpointTests : IDisposable
{
    // dim 8, hidden 6, 2 layers, 2 heads of 4, 1 kv head, vocab 5 (unshared), seq 3.
    private static readonly int[] Header = [8, 6, 2, 2, 1, -5, 3];
    private const int Floats = 5 * 8 + 2 * (8 + 64 + 32 + 32 + 64 + 8 + 48 + 48 + 48) + 8 + 2 * 3 * 2 + 5 * 8;

    private readonly TemporaryDirectory _temp = new();

    [Fact]
    public void Open_WhenVocabSizeNegative_ReadsTheSeparateClassifierFromTheEnd()
    {
        using var checkpoint = new Llama2cCheckpoint(Write(Header, Floats));

        using var lmHead = checkpoint.Read(TensorNames.LmHead, torch.float32, torch.CPU);

        Assert.False(checkpoint.Config.TieWordEmbeddings);
        Assert.Equal(5, checkpoint.Config.VocabSize);
        Assert.Equal(Enumerable.Range(Floats - 40, 40).Select(i => (float)i), lmHead.data<float>().ToArray());
    }

    [Fact]
    public void Open_WhenVocabSizePositive_SharesTheClassifier()
    {
        int[] shared = [.. Header[..5], 5, Header[6]];

        using var checkpoint = new Llama2cCheckpoint(Write(shared, Floats - 40));

        Assert.True(checkpoint.Config.TieWordEmbeddings);
        Assert.False(checkpoint.Contains(TensorNames.LmHead));
    }

    [Fact]
    public void Read_WhenKeyOfSecondLayer_ReordersItsStoredRowsToRotateHalf()
    {
        using var checkpoint = new Llama2cCheckpoint(Write(Header, Floats));
        // embedding 40, rms_att 16, wq 128, wk layer 0: 32 → layer 1's wk starts at 216.
        const int start = 40 + 16 + 128 + 32;

        using var key = checkpoint.Read(TensorNames.Key(1), torch.float32, torch.CPU);

        int[] storedRowOf = [0, 2, 1, 3];
        for (int row = 0; row < 4; row++)
            Assert.Equal(Enumerable.Range(start + 8 * storedRowOf[row], 8).Select(i => (float)i), key[row].data<float>().ToArray());
    }

    [Fact]
    public void Read_WhenValue_KeepsTheStoredRowOrder()
    {
        using var checkpoint = new Llama2cCheckpoint(Write(Header, Floats));
        const int start = 40 + 16 + 128 + 64; // after both layers' wk

        using var value = checkpoint.Read(TensorNames.Value(0), torch.float32, torch.CPU);

        Assert.Equal(Enumerable.Range(start, 32).Select(i => (float)i), value.data<float>().ToArray());
    }

    [Fact]
    public void Open_WhenTrailingBytes_ThrowsNamingTheFile()
    {
        string path = Write(Header, Floats + 1);

        var error = Assert.Throws<ModelFormatException>(() => new Llama2cCheckpoint(path));

        Assert.Equal(path, error.File);
        Assert.Contains("4 trailing bytes", error.Message);
    }

    [SharedModelFact]
    public void Open_WhenRealFileIsCutShort_ThrowsTruncated()
    {
        string path = _temp.Truncated(SharedModels.Path("stories260K", "stories260K.bin"), 1_000_000);

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("1056540", error.Message);
    }

    [Fact]
    public void Open_WhenHeaderIsGarbage_ThrowsBadHeader()
    {
        string path = _temp.File("garbage.bin");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0xFF, 64).ToArray());

        var error = Assert.Throws<ModelFormatException>(() => CheckpointLoader.Open(path));

        Assert.Equal(path, error.File);
        Assert.Contains("not a llama2.c v0 checkpoint: bad header", error.Message);
    }

    [Fact]
    public void Open_WhenHeaderClaimsAbsurdSizes_ThrowsInsteadOfOverflowing()
    {
        string path = Write([1 << 30, 1 << 30, 1 << 30, 1, 1, 1 << 30, 1 << 30], 16);

        var error = Assert.Throws<ModelFormatException>(() => new Llama2cCheckpoint(path));

        Assert.Equal(path, error.File);
    }

    [Fact]
    public void Open_WhenVersionedExport_SaysSo()
    {
        string path = _temp.File("v1.bin");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(0x616b3432), .. new byte[252]]);

        var error = Assert.Throws<ModelFormatException>(() => new Llama2cCheckpoint(path));

        Assert.Contains("version-1/2", error.Message);
    }

    private string Write(int[] header, int floats)
    {
        string path = _temp.File($"model-{Guid.NewGuid():N}.bin");
        using var output = new BinaryWriter(File.Create(path));
        foreach (int field in header) output.Write(field);
        for (int i = 0; i < floats; i++) output.Write((float)i);
        return path;
    }

    public void Dispose() => _temp.Dispose();
}

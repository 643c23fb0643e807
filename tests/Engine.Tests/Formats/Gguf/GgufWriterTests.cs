using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Tests.Formats.Gguf;

public sealed class GgufWriterTests
{
    [Fact]
    public void Write_WhenEveryMetadataKind_ReadsBackTheSameValues()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.File("meta.gguf");
        new GgufWriter()
            .Add("a.string", GgufMetadataValue.String("ünïcode ▁text"))
            .Add("a.uint", GgufMetadataValue.UInt32(4_000_000_000))
            .Add("a.int", GgufMetadataValue.Int32(-7))
            .Add("a.float", GgufMetadataValue.Float32(1e-5f))
            .Add("a.bool", GgufMetadataValue.Bool(true))
            .Add("a.strings", GgufMetadataValue.Strings(["x", "", "y z"]))
            .Add("a.floats", GgufMetadataValue.Float32s([0.5f, -2f]))
            .Add("a.ints", GgufMetadataValue.Int32s([3, -1]))
            .AddTensor(new GgufTensorSource("t", [1, 1], GgmlType.F32, () => BitConverter.GetBytes(1f)))
            .Write(path);

        using var gguf = GgufFile.Open(path);

        Assert.Equal(3u, gguf.Version);
        Assert.Equal(32L, gguf.Get<long>("general.alignment"));
        Assert.Equal("ünïcode ▁text", gguf.Get<string>("a.string"));
        Assert.Equal(4_000_000_000L, gguf.Get<long>("a.uint"));
        Assert.Equal(-7L, gguf.Get<long>("a.int"));
        Assert.Equal(1e-5f, (float)gguf.Get<double>("a.float"));
        Assert.True(gguf.Get<bool>("a.bool"));
        Assert.Equal(["x", "", "y z"], gguf.Get<string[]>("a.strings"));
        Assert.Equal([0.5f, -2f], gguf.Get<float[]>("a.floats"));
        Assert.Equal([3, -1], gguf.Get<int[]>("a.ints"));
    }

    [Fact]
    public void Write_WhenTensorsOfOddSizes_AlignsEachAndKeepsBytesAndShapes()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.File("tensors.gguf");
        byte[] first = [.. Enumerable.Range(0, 3 * 5 * 2).Select(i => (byte)i)];   // F16 (3, 5): 30 bytes, not a multiple of 32
        byte[] second = [.. Enumerable.Range(0, 7 * 4).Select(i => (byte)(255 - i))]; // F32 (7): 28 bytes
        new GgufWriter()
            .AddTensor(new GgufTensorSource("first", [3, 5], GgmlType.F16, () => first))
            .AddTensor(new GgufTensorSource("second", [7], GgmlType.F32, () => second))
            .Write(path);

        using var gguf = GgufFile.Open(path);

        var a = gguf.Tensor("first");
        var b = gguf.Tensor("second");
        Assert.Equal(new long[] { 3, 5 }, a.Shape);
        Assert.Equal(new long[] { 5, 3 }, a.Dimensions);
        Assert.Equal(GgmlType.F16, a.Type);
        Assert.Equal(0, gguf.DataOffset % 32);
        Assert.Equal(0, b.Offset % 32);
        Assert.Equal(first, gguf.TensorBytes(a).ToArray());
        Assert.Equal(second, gguf.TensorBytes(b).ToArray());
    }

    [Fact]
    public void Write_WhenTensorProducesWrongByteCount_ThrowsNamingTheTensorAndLeavesNoFile()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.File("bad.gguf");
        var writer = new GgufWriter().AddTensor(new GgufTensorSource("short", [4], GgmlType.F32, () => new byte[15]));

        var error = Assert.Throws<InvalidOperationException>(() => writer.Write(path));

        Assert.Contains("'short'", error.Message);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void Add_WhenKeyGivenTwice_Throws()
    {
        var writer = new GgufWriter().Add("k", GgufMetadataValue.Bool(true));

        Assert.Throws<ArgumentException>(() => writer.Add("k", GgufMetadataValue.Bool(false)));
    }
}

namespace Cluster.Api.Tests.Support;

/// <summary>stories260K (trained for 512 positions) served with <c>--max-model-len 1024</c>.</summary>
public sealed class LongContextSiloServer : SiloServer
{
    public const int MaxModelLen = 1024;

    protected override IEnumerable<string> Arguments() =>
    [
        "--model", SharedModels.Path("stories260K", "stories260K.bin"), "--tokenizer", SharedModels.Path("stories260K", "tok512.bin"), "--model-name", Model,
        "--max-model-len", MaxModelLen.ToString(),
    ];
}

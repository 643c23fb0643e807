namespace Cluster.Api.Tests.Support;

/// <summary>stories260K as a two-stage pipeline on one silo, with room for a few requests at once: what the live page draws.</summary>
public sealed class PipelineSiloServer : SiloServer
{
    public const int StageCount = 2;

    protected override IEnumerable<string> Arguments() =>
    [
        "--model", SharedModels.Path("stories260K", "stories260K.bin"), "--tokenizer", SharedModels.Path("stories260K", "tok512.bin"), "--model-name", Model,
        "--stage-count", StageCount.ToString(), "--max-concurrent-requests", "16",
    ];
}

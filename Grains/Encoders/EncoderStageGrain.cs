using Cluster.Grains.Telemetry;
using Orleans.Concurrency;
using Orleans.Placement;

namespace Cluster.Grains.Encoders;

/// <summary>
/// One stage of the served encoder: its layers run in the silo's <see cref="ServedEncoder"/>, whose
/// batcher gathers the sequences of every concurrent call into passes; the stage's outputs go to
/// the next stage grain as activations. Reentrant, so calls keep arriving (and joining the next
/// pass) while one is being computed. Placed on the silo that first calls it: every silo that
/// serves the encoder holds its files.
/// </summary>
[Reentrant]
[PreferLocalPlacement]
public sealed class EncoderStageGrain(ServedEncoder encoder, StageMetrics metrics) : Grain, IEncoderStageGrain
{
    private int _stage;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        _stage = ServedEncoder.StageOf(key, encoder.Id, encoder.StageCount);
        return Task.CompletedTask;
    }

    // Loading reads and copies the stage's weights (a second or more): off the grain's scheduler
    // thread, which Orleans expects back within moments.
    public Task LoadAsync() => Task.Run(() => encoder.Batcher(_stage, metrics));

    public async Task<float[][]> EmbedAsync(EncoderSequence[] sequences)
    {
        var outputs = await encoder.Batcher(_stage, metrics).RunAsync(sequences.Select(s => s.ToInput()).ToArray());
        if (_stage == encoder.StageCount - 1) return outputs.Select(o => o.Embedding!).ToArray();
        var next = GrainFactory.GetGrain<IEncoderStageGrain>(ServedEncoder.StageKey(encoder.Id, _stage + 1));
        return await next.EmbedAsync(sequences.Select((s, i) => new EncoderSequence { Length = s.Length, Hidden = outputs[i].Hidden }).ToArray());
    }
}

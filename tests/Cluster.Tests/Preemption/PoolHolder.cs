using Cluster.Grains.Stages;

namespace Cluster.Tests.Preemption;

/// <summary>
/// Holds every page but a few on each stage, reserved directly as a sequence grain reserves them
/// but never running a step, so no stage ever asks it to give way. Disposing gives them back.
/// </summary>
internal sealed class PoolHolder : IAsyncDisposable
{
    private readonly IStageGrain[] _stages;
    private readonly string _id = $"{PreemptionFixture.Model}/0/holder-{Guid.NewGuid():N}";
    private bool _freed;

    private PoolHolder(IStageGrain[] stages) => _stages = stages;

    public static async Task<PoolHolder> FillAsync(IStageGrain[] stages, int keepFree)
    {
        var holder = new PoolHolder(stages);
        foreach (var stage in stages)
        {
            var status = await stage.GetStatusAsync();
            var reservation = await stage.ReservePagesAsync(holder._id, (status.FreePages - keepFree) * status.PageSize);
            if (!reservation.Granted) throw new InvalidOperationException($"{status.Key}: could not hold {status.FreePages - keepFree} pages ({reservation.FreePages} free)");
        }
        return holder;
    }

    public async ValueTask DisposeAsync()
    {
        if (_freed) return;
        _freed = true;
        foreach (var stage in _stages) await stage.FreePagesAsync(_id);
    }
}

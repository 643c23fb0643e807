using Cluster.Grains.Pipeline;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// Remembers where each stage last ran, so that a stage whose silo died can still be drawn (the
/// plan without that silo is incomplete and names no stage at all) and so that the silo that took
/// its range over can be named. Fed by every reading of the cluster on this silo.
/// </summary>
public sealed class StageLossLog(SiloLiveness liveness, TimeProvider time)
{
    private const int Kept = 32;
    private readonly object _gate = new();
    private readonly Dictionary<string, PlacedStage> _known = [];
    private readonly List<StageLoss> _losses = [];

    /// <summary>The losses seen since this silo started, oldest first (the last <see cref="Kept"/>).</summary>
    public IReadOnlyList<StageLoss> Losses
    {
        get { lock (_gate) return [.. _losses]; }
    }

    /// <summary>The stages of the last complete plan seen, in replica and stage order.</summary>
    public IReadOnlyList<PlacedStage> LastLayout
    {
        get { lock (_gate) return [.. _known.Values.OrderBy(s => s.Replica).ThenBy(s => s.Placement.Stage)]; }
    }

    /// <summary>A complete plan: a stage now on another silo than before, the old one gone, was lost and has been re-placed.</summary>
    public void Observe(IReadOnlyList<PlacedStage> layout)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var stage in layout)
            {
                if (_known.TryGetValue(stage.Key, out var before) && before.Placement.Silo != stage.Placement.Silo && liveness.IsGone(before.Placement.Silo))
                {
                    // Seen lost before (its silo declared dead first), or only now that the plan moved it.
                    int index = OpenLoss(stage.Key, before.Placement.Silo);
                    if (index < 0)
                    {
                        Add(new StageLoss(stage.Key, stage.LayerText, before.Placement.Silo, now));
                        index = _losses.Count - 1;
                    }
                    _losses[index] = _losses[index] with { ReplacedBy = stage.Placement.Silo, ReplacedAt = now };
                }
            }
            // A new plan (a re-split, a new replica) replaces the old layout whole.
            _known.Clear();
            foreach (var stage in layout) _known[stage.Key] = stage;
        }
    }

    /// <summary>A stage whose silo is gone and that no plan has placed elsewhere yet.</summary>
    public StageLoss Lost(PlacedStage stage)
    {
        lock (_gate)
        {
            int open = OpenLoss(stage.Key, stage.Placement.Silo);
            return open >= 0 ? _losses[open] : Add(new StageLoss(stage.Key, stage.LayerText, stage.Placement.Silo, time.GetUtcNow()));
        }
    }

    /// <summary>The loss a stage now serving on <paramref name="silo"/> recovered from, if it took a lost stage's range over.</summary>
    public StageLoss? ReplacementOf(string key, string silo)
    {
        lock (_gate) return _losses.LastOrDefault(l => l.Key == key && l.ReplacedBy == silo);
    }

    private int OpenLoss(string key, string silo) => _losses.FindLastIndex(l => l.Key == key && l.Silo == silo && l.ReplacedBy is null);

    private StageLoss Add(StageLoss loss)
    {
        _losses.Add(loss);
        if (_losses.Count > Kept) _losses.RemoveAt(0);
        return loss;
    }
}

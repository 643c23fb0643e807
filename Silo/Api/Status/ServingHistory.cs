using Cluster.Grains.Telemetry;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// The last <see cref="Span"/> of the cluster's serving figures, one point per reading, for the
/// live page's charts. Figures come from every replica's last stage (its sequences live on its
/// silo), so every silo's page shows the whole cluster, not the requests it happened to answer.
/// </summary>
public sealed class ServingHistory
{
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly Queue<ServingPoint> _points = new();
    private readonly Dictionary<string, long> _lastTokens = [];
    private DateTimeOffset? _lastAt;

    public IReadOnlyList<ServingPoint> Points
    {
        get { lock (_gate) return [.. _points]; }
    }

    public ServingPoint? Latest
    {
        get { lock (_gate) return _points.LastOrDefault(); }
    }

    /// <summary>Adds the point a snapshot gives; tokens/s is the growth of each replica's token count since the last snapshot.</summary>
    public ServingPoint Add(ClusterSnapshot snapshot)
    {
        var replicas = snapshot.Stages
            .Where(s => s.Status?.Live?.Serving is not null)
            .Select(s => (Replica: $"{s.Stage.Model}/{s.Stage.Replica}", Figures: s.Status!.Live!.Serving!))
            .ToList();
        lock (_gate)
        {
            long generated = 0;
            foreach (var (replica, figures) in replicas)
            {
                // A count lower than before is a last stage's new silo counting from zero: all of it is new.
                long before = _lastTokens.GetValueOrDefault(replica, figures.GeneratedTokens);
                generated += figures.GeneratedTokens >= before ? figures.GeneratedTokens - before : figures.GeneratedTokens;
                _lastTokens[replica] = figures.GeneratedTokens;
            }
            double seconds = _lastAt is { } last ? (snapshot.At - last).TotalSeconds : 0;
            _lastAt = snapshot.At;
            var point = new ServingPoint(
                snapshot.At,
                replicas.Sum(r => r.Figures.Running),
                replicas.Sum(r => r.Figures.Waiting),
                seconds > 0 ? generated / seconds : 0,
                Mean(replicas.Select(r => r.Figures.TimeToFirstTokenMs)),
                Mean(replicas.Select(r => r.Figures.TimePerOutputTokenMs)));
            _points.Enqueue(point);
            while (_points.Peek().At < snapshot.At - Span) _points.Dequeue();
            return point;
        }
    }

    private static double? Mean(IEnumerable<double?> values) => values.OfType<double>().ToList() is { Count: > 0 } known ? known.Average() : null;
}

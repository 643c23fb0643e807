namespace Cluster.Grains.Pipeline;

/// <summary>A stage grain's key: <c>model/replica/stage</c>.</summary>
public readonly record struct StageKey(string Model, int Replica, int Stage)
{
    public override string ToString() => $"{Model}/{Replica}/{Stage}";

    public static StageKey Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || !int.TryParse(parts[1], out int replica) || !int.TryParse(parts[2], out int stage) || replica < 0 || stage < 0)
            throw new ArgumentException($"'{key}' is not a stage key (model/replica/stage)");
        return new StageKey(parts[0], replica, stage);
    }
}

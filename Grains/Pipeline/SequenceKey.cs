namespace Cluster.Grains.Pipeline;

/// <summary>A sequence grain's key: <c>model/replica/id</c>; the replica decides its silo.</summary>
public readonly record struct SequenceKey(string Model, int Replica, string Id)
{
    public override string ToString() => $"{Model}/{Replica}/{Id}";

    public static SequenceKey New(string model, int replica) => new(model, replica, Guid.NewGuid().ToString("N"));

    public static SequenceKey Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[2].Length == 0 || !int.TryParse(parts[1], out int replica) || replica < 0)
            throw new ArgumentException($"'{key}' is not a sequence key (model/replica/id)");
        return new SequenceKey(parts[0], replica, parts[2]);
    }
}

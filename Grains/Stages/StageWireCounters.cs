using Orleans.Serialization;

namespace Cluster.Grains.Stages;

/// <summary>
/// What arrives at a stage over the wire: messages, and with <c>--measure-wire</c> their
/// serialized size, so tests and benchmarks can see that a decode step carries one row of
/// activations and never K/V. Serializing every message again costs time, hence the switch.
/// </summary>
internal sealed class StageWireCounters(Serializer<StageMessage> serializer, bool measureBytes)
{
    private int _smallestDecodeBytes = int.MaxValue;

    public long MessagesIn { get; private set; }

    public long WireBytesIn { get; private set; }

    public int LargestDecodeBytes { get; private set; }

    /// <summary>0 until a decode message has been measured.</summary>
    public int SmallestDecodeBytes => _smallestDecodeBytes == int.MaxValue ? 0 : _smallestDecodeBytes;

    public void Count(StageMessage message)
    {
        MessagesIn++;
        if (!measureBytes) return;
        int bytes = serializer.SerializeToArray(message).Length;
        WireBytesIn += bytes;
        if (message.TokenCount == 1 && message.CachedTokens > 0)
        {
            LargestDecodeBytes = Math.Max(LargestDecodeBytes, bytes);
            _smallestDecodeBytes = Math.Min(_smallestDecodeBytes, bytes);
        }
    }
}

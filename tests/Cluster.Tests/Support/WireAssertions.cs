using Cluster.Grains.Stages;

namespace Cluster.Tests.Support;

/// <summary>What a decode step may put on the wire: token ids to stage 0, one hidden row per sequence after it.</summary>
public static class WireAssertions
{
    /// <summary>Serialized metadata beside the payload: the sequence key and a few integers.</summary>
    private const int MetadataBytes = 160;

    public static void DecodeMessagesCarryOneRow(IEnumerable<StageStatus> stages)
    {
        foreach (var stage in stages)
        {
            Assert.True(stage.LargestDecodeMessageBytes > 0, $"{stage.Key} saw no decode message (is --measure-wire on?)");
            if (stage.FirstLayer == 0)
            {
                Assert.InRange(stage.LargestDecodeMessageBytes, 1, MetadataBytes);
                continue;
            }
            int row = stage.HiddenSize * sizeof(float);
            Assert.InRange(stage.SmallestDecodeMessageBytes, row, row + MetadataBytes);
            // Contexts from a few tokens to 150 differ by at most a varint's bytes, never by pages of K/V.
            Assert.InRange(stage.LargestDecodeMessageBytes - stage.SmallestDecodeMessageBytes, 0, 8);
        }
    }
}

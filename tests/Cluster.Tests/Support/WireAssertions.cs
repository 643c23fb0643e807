using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;

namespace Cluster.Tests.Support;

/// <summary>What a decode step may put on the wire: token ids to stage 0, one hidden row per sequence after it.</summary>
public static class WireAssertions
{
    /// <summary>Serialized metadata beside the payload: the sequence key and a few integers.</summary>
    private const int MetadataBytes = 160;

    /// <summary>One stage's entry in <see cref="StageMessage.GrownPages"/> on a step that added a page: a short array of one id.</summary>
    private const int GrownPageBytes = 8;

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
            // Contexts from a few tokens to 150 differ by at most a varint's bytes, never by pages of K/V;
            // a step that crosses into a new page also names the page id each earlier stage added.
            int earlierStages = StageKey.Parse(stage.Key).Stage;
            Assert.InRange(stage.LargestDecodeMessageBytes - stage.SmallestDecodeMessageBytes, 0, 8 + GrownPageBytes * earlierStages);
        }
    }
}

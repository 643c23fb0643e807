using Cluster.Grains.Sequences;

namespace Cluster.Grains.Client;

/// <summary>
/// Tells a caller that the sequence grain it streams from is gone. A sequence lives on its
/// replica's last-stage silo; when that silo dies, the caller's pending read of the stream is not
/// failed until the Orleans response timeout, far later than the cluster notices. So, beside the
/// stream, the sequence's status is probed. Once membership has declared the silo dead, the grain
/// directory forgets the activation there and the next probe activates a fresh, empty sequence on
/// a live silo: an answer from another silo is the proof that the sequence is lost. A probe that
/// fails or times out proves nothing (a gateway the client used may be the dead silo, or the
/// cluster may just be busy) and is simply repeated. The grain is reentrant, so a probe is
/// answered even while its stream is busy.
/// </summary>
internal static class SequenceWatch
{
    /// <summary>Time between probes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How long one probe may take before the next is tried.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Completes when the sequence, which ran on <paramref name="home"/>, answers from another silo.</summary>
    public static async Task WaitUntilLostAsync(ISequenceGrain sequence, string home, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
            try
            {
                var status = await sequence.GetStatusAsync().WaitAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false);
                if (status.Silo != home) return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception)
            {
                // No proof either way: probe again.
            }
        }
    }
}

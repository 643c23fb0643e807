using System.Collections.Concurrent;
using Cluster.Engine.Encoders;

namespace Cluster.Engine.Tests.Encoders;

/// <summary>The batcher's gathering rule: concurrent callers share passes within the token budget, and each gets its own results.</summary>
public sealed class EncoderBatcherTests
{
    [Fact]
    public async Task ConcurrentCallers_SharePassesWithinTheBudget_AndGetTheirOwnResults()
    {
        var passes = new ConcurrentQueue<int[]>();
        using var gate = new ManualResetEventSlim(false);
        using var batcher = new EncoderBatcher(batch =>
        {
            gate.Wait(); // the first pass holds the rest in the queue
            passes.Enqueue(batch.Select(s => s.Length).ToArray());
            return batch.Select(s => new EncoderOutput(Embedding: [s.Ids![0]])).ToArray();
        }, maxBatchTokens: 40, "test");

        var first = batcher.RunAsync([Sequence(1, 4)]);
        await Task.Delay(50);
        var callers = Enumerable.Range(2, 6).Select(id => batcher.RunAsync([Sequence(id, 10), Sequence(id * 100, 5)])).ToArray();
        gate.Set();

        Assert.Equal(1f, (await first)[0].Embedding![0]);
        for (int i = 0; i < callers.Length; i++)
        {
            var results = await callers[i];
            Assert.Equal([i + 2, (i + 2) * 100], results.Select(r => (int)r.Embedding![0]));
        }
        var batches = passes.ToArray();
        Assert.Equal([4], batches[0]);
        Assert.All(batches.Skip(1), b => Assert.True(b.Length * b.Max() <= 40, $"a pass of {b.Length} × {b.Max()} tokens"));
        Assert.Contains(batches.Skip(1), b => b.Length == 4); // two callers shared a pass
        Assert.Equal(13, batches.Sum(b => b.Length));
    }

    [Fact]
    public async Task ARequestLargerThanTheBudget_RunsAlone()
    {
        using var batcher = new EncoderBatcher(batch => batch.Select(s => new EncoderOutput(Embedding: [s.Length])).ToArray(), maxBatchTokens: 8, "test");
        var results = await batcher.RunAsync([Sequence(1, 20), Sequence(2, 20)]);
        Assert.Equal([20f, 20f], results.Select(r => r.Embedding![0]));
    }

    [Fact]
    public async Task AFailedPass_FailsItsCallers_AndTheNextPassRuns()
    {
        int calls = 0;
        using var batcher = new EncoderBatcher(batch => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("bad pass")
            : batch.Select(_ => new EncoderOutput(Embedding: [1])).ToArray(), maxBatchTokens: 100, "test");
        Assert.Equal("bad pass", (await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.RunAsync([Sequence(1, 3)]))).Message);
        Assert.Single(await batcher.RunAsync([Sequence(1, 3)]));
    }

    [Fact]
    public async Task ACancelledQueuedRequest_IsNotRun()
    {
        using var gate = new ManualResetEventSlim(false);
        var ran = new ConcurrentBag<int>();
        using var batcher = new EncoderBatcher(batch =>
        {
            gate.Wait();
            foreach (var s in batch) ran.Add(s.Ids![0]);
            return batch.Select(_ => new EncoderOutput(Embedding: [0])).ToArray();
        }, maxBatchTokens: 100, "test");
        var first = batcher.RunAsync([Sequence(1, 3)]);
        await Task.Delay(50);
        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.RunAsync([Sequence(2, 3)], cancel.Token);
        cancel.Cancel();
        gate.Set();
        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal([1], ran);
    }

    private static EncoderInput Sequence(int id, int length) => new(length, Ids: [id, .. new int[length - 1]]);
}

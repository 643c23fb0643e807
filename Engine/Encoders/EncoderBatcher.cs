namespace Cluster.Engine.Encoders;

/// <summary>
/// Gathers the sequences of concurrent callers into passes of an encoder stage under a token
/// budget: while a pass runs, requests queue; the next pass takes them oldest first while the
/// padded batch (sequences × the longest sequence) stays within <see cref="MaxBatchTokens"/>, or
/// the one request at the head of the queue alone when it is larger by itself. A caller's
/// sequences stay together in one pass. Passes run one at a time on a thread of their own.
/// </summary>
public sealed class EncoderBatcher : IDisposable
{
    private readonly Func<IReadOnlyList<EncoderInput>, EncoderOutput[]> _pass;
    private readonly Queue<Pending> _queue = new();
    private readonly Thread _thread;
    private readonly object _gate = new();
    private bool _stopping;

    /// <param name="pass">runs one batch and returns one result per sequence, in order</param>
    public EncoderBatcher(Func<IReadOnlyList<EncoderInput>, EncoderOutput[]> pass, int maxBatchTokens, string name)
    {
        if (maxBatchTokens <= 0) throw new ArgumentOutOfRangeException(nameof(maxBatchTokens), "the token budget must be positive");
        _pass = pass;
        MaxBatchTokens = maxBatchTokens;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public int MaxBatchTokens { get; }

    /// <summary>Called after every pass with its sequences, its padded tokens and its duration.</summary>
    public event Action<int, long, TimeSpan>? PassCompleted;

    public Task<EncoderOutput[]> RunAsync(IReadOnlyList<EncoderInput> inputs, CancellationToken cancellationToken = default)
    {
        if (inputs.Count == 0) return Task.FromResult(Array.Empty<EncoderOutput>());
        var pending = new Pending(inputs, new TaskCompletionSource<EncoderOutput[]>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Enqueue(pending);
            Monitor.Pulse(_gate);
        }
        return pending.Result.Task;
    }

    private void Loop()
    {
        while (Take() is { } batch)
        {
            var inputs = batch.SelectMany(p => p.Inputs).ToArray();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var results = _pass(inputs);
                int offset = 0;
                foreach (var pending in batch)
                {
                    pending.Result.TrySetResult(results[offset..(offset + pending.Inputs.Count)]);
                    offset += pending.Inputs.Count;
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Result.TrySetException(e);
            }
            PassCompleted?.Invoke(inputs.Length, PaddedTokens(inputs.Length, inputs.Max(i => i.Length)), watch.Elapsed);
        }
    }

    /// <summary>Waits for requests and takes those of the next pass; null once stopping.</summary>
    private List<Pending>? Take()
    {
        lock (_gate)
        {
            while (true)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return null;
                var batch = new List<Pending>();
                int count = 0, longest = 0;
                while (_queue.TryPeek(out var next))
                {
                    if (next.Cancellation.IsCancellationRequested)
                    {
                        _queue.Dequeue().Result.TrySetCanceled(next.Cancellation);
                        continue;
                    }
                    int nextLongest = Math.Max(longest, next.Inputs.Max(i => i.Length));
                    if (batch.Count > 0 && PaddedTokens(count + next.Inputs.Count, nextLongest) > MaxBatchTokens) break;
                    batch.Add(_queue.Dequeue());
                    (count, longest) = (count + next.Inputs.Count, nextLongest);
                }
                if (batch.Count > 0) return batch;
            }
        }
    }

    private static long PaddedTokens(int sequences, int longest) => (long)sequences * longest;

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
            foreach (var pending in _queue) pending.Result.TrySetException(new ObjectDisposedException(nameof(EncoderBatcher)));
            _queue.Clear();
        }
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    private sealed record Pending(IReadOnlyList<EncoderInput> Inputs, TaskCompletionSource<EncoderOutput[]> Result, CancellationToken Cancellation);
}

namespace Cluster.Grains.Admission;

/// <summary>
/// One replica's line of sequences waiting to reserve pages: one holds the turn at a time; the
/// others wait in arrival order, except that accepted work (a preempted or replaying sequence)
/// waits at the front, ahead of every new request, as vLLM puts a preempted request back at the
/// head of its waiting queue. A waiter that is cancelled leaves the line without taking a turn.
/// </summary>
internal sealed class AdmissionLine
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _priority = [];
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _normal = [];
    private bool _turnTaken;
    private int _waiting;

    /// <summary>Sequences in the line, the one holding the turn included.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public bool TryJoin(int limit)
    {
        while (true)
        {
            int now = Volatile.Read(ref _waiting);
            if (now >= limit) return false;
            if (Interlocked.CompareExchange(ref _waiting, now + 1, now) == now) return true;
        }
    }

    /// <summary>Waits for the turn (after joining); dispose what it returns to pass the turn on and leave the line.</summary>
    public async Task<IDisposable> WaitForTurnAsync(bool priority, CancellationToken cancellationToken)
    {
        TaskCompletionSource<IDisposable> waiter;
        LinkedListNode<TaskCompletionSource<IDisposable>> node;
        lock (_lock)
        {
            if (!_turnTaken)
            {
                _turnTaken = true;
                return new Turn(this);
            }
            waiter = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = priority ? _priority.AddLast(waiter) : _normal.AddLast(waiter);
        }
        using (cancellationToken.Register(() => Cancel(node)))
        {
            try
            {
                return await waiter.Task.ConfigureAwait(true);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _waiting);
                throw;
            }
        }
    }

    private void Cancel(LinkedListNode<TaskCompletionSource<IDisposable>> node)
    {
        lock (_lock)
        {
            if (node.List is null) return; // the turn was handed to it already: it passes it on when disposed
            node.List.Remove(node);
        }
        node.Value.TrySetCanceled();
    }

    /// <summary>Hands the turn to the head of the line (preempted sequences first), or frees it.</summary>
    private void PassTurn()
    {
        Interlocked.Decrement(ref _waiting);
        TaskCompletionSource<IDisposable> next;
        lock (_lock)
        {
            var queue = _priority.Count > 0 ? _priority : _normal;
            if (queue.First is not { } head)
            {
                _turnTaken = false;
                return;
            }
            queue.RemoveFirst();
            next = head.Value;
        }
        next.SetResult(new Turn(this));
    }

    private sealed class Turn(AdmissionLine line) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) line.PassTurn();
        }
    }
}

using System.Runtime.CompilerServices;
using Cluster.Engine.Execution;
using Cluster.Engine.Paging;
using Cluster.Engine.Sampling;

namespace Cluster.Engine.Generation;

/// <summary>
/// Generation with the engine alone: a scheduler over a <see cref="PipelineChain"/> in one
/// process. There is no separate prefill phase and decode phase: every pass, each running
/// sequence's computed-token count catches up with its token count as far as the token budget
/// allows, so a long prompt is prefilled in chunks beside other sequences' decode steps.
/// </summary>
public sealed class LocalGenerator : IAsyncDisposable
{
    private readonly PipelineChain _chain;
    private readonly GeneratorOptions _options;
    private readonly SequencePages _pages;
    private readonly object _gate = new();
    private readonly Queue<LocalSequence> _waiting = new();
    private readonly List<LocalSequence> _running = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _nextId;

    public LocalGenerator(PipelineChain chain, GeneratorOptions? options = null)
    {
        _chain = chain;
        _options = options ?? new GeneratorOptions();
        _pages = new SequencePages(new PagePool(chain.PageCount, chain.PageSize));
        _loop = Task.Run(RunAsync);
    }

    public Config.ModelConfig Config => _chain.Stages[0].Config;

    /// <summary>Free and used pages (every stage holds the same page ids).</summary>
    public PagePoolStats Pages => _pages.Snapshot();

    /// <summary>Generates up to <paramref name="sampling"/>.MaxTokens tokens after <paramref name="prompt"/>.</summary>
    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(IReadOnlyList<int> prompt, SamplingParams sampling,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (prompt.Count == 0)
            throw new ArgumentException("the prompt has no tokens", nameof(prompt));
        if (prompt.Any(t => t < 0 || t >= Config.VocabSize))
            throw new ArgumentException($"prompt token ids must be in [0, {Config.VocabSize})", nameof(prompt));
        if (prompt.Count >= Config.MaxPositionEmbeddings)
            throw new ArgumentException($"the prompt has {prompt.Count} tokens; the context window is {Config.MaxPositionEmbeddings}", nameof(prompt));
        sampling.Validate();
        int maxTokens = Math.Min(sampling.MaxTokens ?? int.MaxValue, Config.MaxPositionEmbeddings - prompt.Count);
        var sequence = new LocalSequence($"local-{Interlocked.Increment(ref _nextId)}", prompt, sampling, maxTokens, cancellationToken);
        if (_pages.Pool.Capacity * _chain.PageSize < prompt.Count + maxTokens)
            throw new ArgumentException($"prompt + max_tokens ({prompt.Count + maxTokens}) exceeds the whole KV cache ({_pages.Pool.Capacity * _chain.PageSize} tokens)");
        lock (_gate) _waiting.Enqueue(sequence);
        _signal.Release();
        using var wake = cancellationToken.Register(() => _signal.Release());
        // After a cancel, tokens already produced are dropped rather than yielded; the loop still
        // waits for the sequence to end, so its pages are free by the time the enumeration returns.
        await foreach (var token in sequence.Stream.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            if (!cancellationToken.IsCancellationRequested)
                yield return token;
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Admit();
            var batch = Schedule(out var scheduled);
            if (batch.Count == 0)
            {
                try { await _signal.WaitAsync(_stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            try
            {
                var results = await _chain.RunAsync(batch).ConfigureAwait(false);
                for (int i = 0; i < results.Count; i++) Advance(scheduled[i], batch[i], results[i]);
            }
            catch (Exception e)
            {
                lock (_gate) foreach (var sequence in scheduled) Finish(sequence, e);
            }
        }
        lock (_gate)
        {
            foreach (var sequence in _running.Concat(_waiting).ToList()) Finish(sequence, new ObjectDisposedException(nameof(LocalGenerator)));
        }
    }

    /// <summary>Moves waiting sequences to running while slots and pages allow, oldest first.</summary>
    private void Admit()
    {
        lock (_gate)
        {
            while (_waiting.TryPeek(out var next) && _running.Count < _options.MaxRunningSequences)
            {
                if (next.Cancellation.IsCancellationRequested) { _waiting.Dequeue(); Finish(next, null); continue; }
                // Pages for the whole request up front: a running sequence never stalls for memory.
                if (!_pages.TryReserve(next.Id, next.Prompt.Count + next.MaxTokens)) break;
                _running.Add(_waiting.Dequeue());
            }
        }
    }

    private List<StageWork> Schedule(out List<LocalSequence> scheduled)
    {
        var batch = new List<StageWork>();
        scheduled = [];
        int budget = _options.MaxBatchTokens;
        lock (_gate)
        {
            foreach (var sequence in _running.ToList())
            {
                if (sequence.Cancellation.IsCancellationRequested) { Finish(sequence, null); continue; }
                int take = Math.Min(sequence.Tokens.Count - sequence.Computed, budget);
                if (take <= 0) continue;
                bool completesPrompt = sequence.Computed + take == sequence.Tokens.Count;
                batch.Add(new StageWork
                {
                    SequenceId = sequence.Id,
                    CachedTokens = sequence.Computed,
                    PageIds = _pages.GetTable(sequence.Id).ToArray(),
                    TokenCount = take,
                    TokenIds = sequence.Tokens.Skip(sequence.Computed).Take(take).ToArray(),
                    Output = completesPrompt
                        ? OutputRequest.Sample(sequence.Sampling, SamplingContext.ForNextToken(sequence.Prompt, sequence.Output.ToArray(), sequence.Seed))
                        : OutputRequest.None,
                });
                scheduled.Add(sequence);
                budget -= take;
            }
        }
        return batch;
    }

    private void Advance(LocalSequence sequence, StageWork work, StageResult result)
    {
        sequence.Computed += work.TokenCount;
        if (result.Token is not { } token) return;
        sequence.Tokens.Add(token.TokenId);
        sequence.Output.Add(token.TokenId);
        FinishReason? finish =
            Config.EosTokenIds.Contains(token.TokenId) || sequence.Sampling.StopTokenIds.Contains(token.TokenId) ? FinishReason.Stop
            : sequence.Output.Count >= sequence.MaxTokens ? FinishReason.Length
            : null;
        sequence.Stream.Writer.TryWrite(new GeneratedToken(token, sequence.Output.Count - 1, finish));
        if (finish is not null) lock (_gate) Finish(sequence, null);
    }

    /// <summary>Ends a sequence (caller holds the lock): its pages go back, its stream completes.</summary>
    private void Finish(LocalSequence sequence, Exception? error)
    {
        _running.Remove(sequence);
        _pages.Free(sequence.Id);
        sequence.Stream.Writer.TryComplete(error);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
    }
}

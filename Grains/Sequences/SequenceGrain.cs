using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cluster.Grains.Hosting;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Placement;
using Cluster.Grains.Stages;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// One request: reserves its pages on every stage, sends the prompt to stage 0 as prefill chunks
/// (the next only after the last stage reports the previous done), then one decode step per
/// sampled token, and streams the tokens from a channel the last stage's one-way reports feed.
/// Frees every page on every stage when it finishes, is cancelled, or is deactivated.
/// </summary>
[LastStageSiloPlacement]
// It must stay on its replica's last-stage silo (tokens arrive there without a hop).
[Immovable]
// A finished sequence keeps only its history; it need not stay long after its last call.
[CollectionAgeLimit(Minutes = 2)]
// Reentrant on purpose: GenerateAsync's stream stays open for the whole generation while the last
// stage's OnStageOutcomeAsync reports must get in to feed it. All state is touched on the
// activation's thread; awaits between reads and writes of it are in GenerateAsync only, before
// any report can arrive (nothing is sent before the reservations are done).
[Reentrant]
public sealed partial class SequenceGrain(PipelinePlanView plans, SiloModel model, ILocalSiloDetails local, ILogger<SequenceGrain> logger) : Grain, ISequenceGrain
{
    private readonly List<int> _outputs = [];
    private SequenceKey _key;
    private IStageGrain[] _stages = [];
    private int[][] _pageTables = [];
    private int[] _prompt = [];
    private HashSet<int> _stopIds = [];
    private int _maxTokens;
    private long _seed;
    private int _prefilled;
    private Channel<GeneratedToken>? _channel;
    private bool _started;
    private bool _finished;

    private string Id => _key.ToString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = SequenceKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FreeEverywhereAsync();

    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_started) throw new InvalidOperationException($"sequence {Id} has already run; ask the router for a new one");
        _started = true;
        Validate(request);
        var plan = await plans.WaitAsync(_key.Model, cancellationToken);
        _stages = plan.Stages(_key.Replica).Select(s => GrainFactory.GetGrain<IStageGrain>(new StageKey(_key.Model, _key.Replica, s.Stage).ToString())).ToArray();
        _prompt = request.PromptTokenIds;
        _maxTokens = Math.Min(request.Sampling.MaxTokens, model.Config.MaxPositionEmbeddings - _prompt.Length);
        _seed = request.Sampling.ToEngine().ResolveSeed(); // drawn once and kept: a replay draws the same tokens
        _stopIds = [.. request.Sampling.StopTokenIds, .. request.Sampling.IgnoreEos ? [] : model.Config.EosTokenIds];

        // The last sampled token is streamed but never computed, so this many positions get K/V.
        await ReserveEverywhereAsync(_prompt.Length + _maxTokens - 1, cancellationToken);
        try
        {
            await _stages[^1].RegisterSamplingAsync(Id, request.Sampling, _prompt, _seed);
            _channel = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            await SendNextChunkAsync();
            while (await WaitForTokensAsync(cancellationToken))
            {
                while (_channel.Reader.TryRead(out var token))
                    yield return token;
            }
        }
        finally
        {
            if (!_finished) LogStopped(logger, Id, _outputs.Count);
            _finished = true;
            await FreeEverywhereAsync();
        }
    }

    public async Task OnStageOutcomeAsync(StageOutcome outcome)
    {
        if (_finished || _channel is null) return;
        if (outcome.Error is { } error)
        {
            Finish(new InvalidOperationException($"sequence {Id}: {error}"));
            return;
        }
        if (outcome.TokenId is not { } token)
        {
            await SendNextChunkAsync(); // a prefill chunk before the last is done
            return;
        }

        _outputs.Add(token);
        FinishReason? finish = _stopIds.Contains(token) ? FinishReason.Stop : _outputs.Count >= _maxTokens ? FinishReason.Length : null;
        _channel.Writer.TryWrite(new GeneratedToken(token, outcome.Logprob, _outputs.Count - 1, finish) { TopTokenIds = outcome.TopTokenIds, TopLogprobs = outcome.TopLogprobs });
        if (finish is not null)
        {
            Finish(null);
            return;
        }
        await _stages[0].SubmitAsync(new StageMessage
        {
            SequenceId = Id,
            CachedTokens = _prompt.Length + _outputs.Count - 1,
            TokenCount = 1,
            TokenIds = [token],
            Sample = true,
            StageCount = _stages.Length,
        });
    }

    /// <summary>
    /// Waits for the next token, at most the step timeout: steps travel as one-way messages, and a
    /// step lost with a silo would otherwise leave the caller waiting forever.
    /// </summary>
    private async Task<bool> WaitForTokensAsync(CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(TimeSpan.FromSeconds(model.Options.StepTimeoutSeconds));
        try
        {
            return await _channel!.Reader.WaitToReadAsync(step.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"sequence {Id}: no answer from the pipeline for {model.Options.StepTimeoutSeconds} s " +
                $"after {_outputs.Count} tokens ({_prefilled} of {_prompt.Length} prompt tokens sent)");
        }
    }

    public Task<SequenceStatus> GetStatusAsync() =>
        Task.FromResult(new SequenceStatus(local.SiloAddress.ToParsableString(), _pageTables, _prompt, [.. _outputs], _finished));

    private void Validate(GenerateRequest request)
    {
        var config = model.Config;
        if (request.PromptTokenIds.Length == 0) throw new ArgumentException("the prompt is empty");
        foreach (int id in request.PromptTokenIds)
            if (id < 0 || id >= config.VocabSize) throw new ArgumentException($"prompt token {id} is outside the vocabulary of {config.VocabSize}");
        if (request.PromptTokenIds.Length >= config.MaxPositionEmbeddings)
            throw new ArgumentException($"the prompt's {request.PromptTokenIds.Length} tokens leave no room in the context window of {config.MaxPositionEmbeddings}");
        if (request.Sampling.Problem() is { } problem) throw new ArgumentException(problem);
    }

    private async Task SendNextChunkAsync()
    {
        int start = _prefilled, count = Math.Min(model.Options.PrefillChunkTokens, _prompt.Length - start);
        if (count <= 0) return;
        _prefilled += count;
        await _stages[0].SubmitAsync(new StageMessage
        {
            SequenceId = Id,
            CachedTokens = start,
            TokenCount = count,
            TokenIds = _prompt[start..(start + count)],
            Sample = _prefilled == _prompt.Length,
            StageCount = _stages.Length,
        });
    }

    /// <summary>Reserves on every stage, waiting (bounded) while any stage is short of pages.</summary>
    private async Task ReserveEverywhereAsync(int tokens, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(model.Options.AdmissionTimeoutSeconds);
        _pageTables = new int[_stages.Length][];
        try
        {
            for (int s = 0; s < _stages.Length; s++)
            {
                while (true)
                {
                    var reservation = await _stages[s].ReservePagesAsync(Id, tokens);
                    if (reservation.Granted)
                    {
                        _pageTables[s] = reservation.PageIds;
                        break;
                    }
                    int needed = (tokens + reservation.PageSize - 1) / reservation.PageSize;
                    if (needed > reservation.PageCount)
                    {
                        throw new ArgumentException(
                            $"the request needs {needed} KV pages ({tokens} tokens) on stage {s} of {_key.Model} replica {_key.Replica}, " +
                            $"which has {reservation.PageCount} pages in all; shorten the prompt or max_tokens");
                    }
                    if (DateTime.UtcNow >= deadline)
                    {
                        throw new InvalidOperationException(
                            $"no KV pages for {tokens} tokens on stage {s} of {_key.Model} replica {_key.Replica} " +
                            $"({reservation.FreePages} of {reservation.PageCount} pages free) after waiting {model.Options.AdmissionTimeoutSeconds} s");
                    }
                    await Task.Delay(20, cancellationToken);
                }
            }
        }
        catch
        {
            await FreeEverywhereAsync();
            throw;
        }
    }

    private async Task FreeEverywhereAsync()
    {
        var held = _pageTables;
        _pageTables = [];
        var frees = new List<Task>();
        for (int s = 0; s < held.Length; s++)
            if (held[s] is not null) frees.Add(_stages[s].FreePagesAsync(Id));
        await Task.WhenAll(frees);
    }

    private void Finish(Exception? error)
    {
        _finished = true;
        _channel?.Writer.TryComplete(error);
    }
}

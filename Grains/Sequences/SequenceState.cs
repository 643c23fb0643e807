using Cluster.Engine.Config;
using Cluster.Grains.Pipeline;

namespace Cluster.Grains.Sequences;

/// <summary>
/// What a sequence grain owns of its request: the prompt, the tokens streamed so far, the
/// sampling settings and seed, the stop rules, the attempt number and whether it has finished.
/// Every role of the grain reads and writes this one object, on the activation's thread.
/// </summary>
internal sealed class SequenceState(SequenceKey key)
{
    private HashSet<int> _stopIds = [];

    public SequenceKey Key { get; } = key;

    public string Id => Key.ToString();

    public int[] Prompt { get; private set; } = [];

    /// <summary>Tokens streamed to the caller (a resumed request's earlier ones first).</summary>
    public List<int> Outputs { get; } = [];

    public SamplingSettings Sampling { get; private set; } = SamplingSettings.Greedy;

    public int MaxTokens { get; private set; }

    /// <summary>Drawn once and kept: a replay draws the same tokens.</summary>
    public long Seed { get; private set; }

    /// <summary>The attempt number; a replay raises it, so reports and steps of the attempt it replaces are ignored.</summary>
    public int Epoch { get; set; }

    /// <summary>When the pipeline last answered (the stall check measures from it).</summary>
    public DateTime LastProgress { get; set; }

    /// <summary>Where tokens go once the sequence is admitted; null before.</summary>
    public TokenStream? Stream { get; set; }

    public bool Started { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>The tokens an attempt sends as prefill: the prompt and every token streamed so far.</summary>
    public int HistoryTokens => Prompt.Length + Outputs.Count;

    /// <summary>Positions that get K/V by the end: the last sampled token is streamed but never computed.</summary>
    public int ReservedTokens => Prompt.Length + MaxTokens - 1;

    /// <summary>Takes the request, checked against the model first: a bad one gets a clear error, never a queue slot.</summary>
    public void Start(GenerateRequest request, ModelConfig config)
    {
        Started = true;
        Validate(request, config);
        Prompt = request.PromptTokenIds;
        Sampling = request.Sampling;
        Outputs.AddRange(request.ResumeFrom);
        MaxTokens = Math.Min(request.Sampling.MaxTokens, config.MaxPositionEmbeddings - Prompt.Length);
        Seed = request.Sampling.ToEngine().ResolveSeed();
        _stopIds = [.. request.Sampling.StopTokenIds, .. request.Sampling.IgnoreEos ? [] : config.EosTokenIds];
    }

    private static void Validate(GenerateRequest request, ModelConfig config)
    {
        if (request.PromptTokenIds.Length == 0) throw new ArgumentException("the prompt is empty");
        foreach (int id in request.PromptTokenIds.Concat(request.ResumeFrom))
            if (id < 0 || id >= config.VocabSize) throw new ArgumentException($"token {id} is outside the vocabulary of {config.VocabSize}");
        foreach (int id in request.Sampling.StopTokenIds)
            if (id < 0 || id >= config.VocabSize) throw new ArgumentException($"stop token {id} is outside the vocabulary of {config.VocabSize}");
        if (request.PromptTokenIds.Length >= config.MaxPositionEmbeddings)
            throw new ArgumentException($"the prompt's {request.PromptTokenIds.Length} tokens leave no room in the context window of {config.MaxPositionEmbeddings}");
        if (request.Sampling.Problem() is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>A resumed request that had in fact already finished: its last token was a stop, or it has them all.</summary>
    public bool AlreadyDone => Outputs.Count >= MaxTokens || (Outputs.Count > 0 && _stopIds.Contains(Outputs[^1]));

    /// <summary>Takes a sampled token; says why the sequence ends with it, if it does.</summary>
    public FinishReason? Append(int token)
    {
        Outputs.Add(token);
        return _stopIds.Contains(token) ? FinishReason.Stop : Outputs.Count >= MaxTokens ? FinishReason.Length : null;
    }

    /// <summary>Ends the stream: normally, or with the error the caller is to see.</summary>
    public void Finish(Exception? error = null)
    {
        Finished = true;
        Stream?.Complete(error);
    }
}

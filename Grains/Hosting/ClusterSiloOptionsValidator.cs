using Microsoft.Extensions.Options;

namespace Cluster.Grains.Hosting;

/// <summary>Checks a silo's serving options; the failure names the option.</summary>
public sealed class ClusterSiloOptionsValidator : IValidateOptions<ClusterSiloOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterSiloOptions o)
    {
        var problems = new List<string>();
        if (o.Model is { } m && string.IsNullOrWhiteSpace(m)) problems.Add("Model must name a checkpoint path or synthetic:SHAPE (or be unset for the embedded default)");
        if (o.ModelName is { } n && (n.Length == 0 || n.Contains('/'))) problems.Add($"ModelName '{n}' must be non-empty and contain no '/'");
        try
        {
            Engine.Execution.DtypeNames.Parse(o.Dtype);
        }
        catch (ArgumentException e)
        {
            problems.Add($"Dtype: {e.Message}");
        }
        if (o.MaxModelLen is <= 1) problems.Add($"MaxModelLen must be at least 2 (a prompt token and one to generate) (is {o.MaxModelLen})");
        if (o.EmbeddingStages < 1) problems.Add($"EmbeddingStages must be at least 1 (is {o.EmbeddingStages})");
        if (o.EmbeddingMaxBatchTokens < 1) problems.Add($"EmbeddingMaxBatchTokens must be positive (is {o.EmbeddingMaxBatchTokens})");
        if (o.PageSize <= 0) problems.Add($"PageSize must be positive (is {o.PageSize})");
        if (o.PageCount is <= 0) problems.Add($"PageCount must be positive (is {o.PageCount})");
        if (o.KvCacheMb is <= 0) problems.Add($"KvCacheMb must be positive (is {o.KvCacheMb})");
        if (o.KvCacheMemoryFraction is <= 0 or > 1) problems.Add($"KvCacheMemoryFraction must be in (0, 1] (is {o.KvCacheMemoryFraction})");
        if (o.KvCacheMaxSequences <= 0) problems.Add($"KvCacheMaxSequences must be positive (is {o.KvCacheMaxSequences})");
        if (o.MaxBatchTokens <= 0) problems.Add($"MaxBatchTokens must be positive (is {o.MaxBatchTokens})");
        if (o.PrefillChunkTokens <= 0 || o.PrefillChunkTokens > o.MaxBatchTokens)
            problems.Add($"PrefillChunkTokens must be in 1..MaxBatchTokens ({o.MaxBatchTokens}) (is {o.PrefillChunkTokens})");
        if (o.StageCount <= 0) problems.Add($"StageCount must be positive (is {o.StageCount})");
        if (new[] { o.Layers is not null, o.Stages is not null, o.Auto }.Count(x => x) > 1) problems.Add("give at most one of Layers, Stages and Auto");
        if (o.ExpectedSilos <= 0) problems.Add($"ExpectedSilos must be positive (is {o.ExpectedSilos})");
        if (o.Replicas <= 0) problems.Add($"Replicas must be positive (is {o.Replicas})");
        if (o.Replica is { } r && (r < 0 || r >= o.Replicas)) problems.Add($"Replica must be in 0..{o.Replicas - 1} (is {r})");
        if (o.KvCacheWatermark is < 0 or >= 1) problems.Add($"KvCacheWatermark must be in [0, 1) (is {o.KvCacheWatermark})");
        if (o.AdmissionTimeoutSeconds < 0) problems.Add("AdmissionTimeoutSeconds must not be negative");
        if (o.StepTimeoutSeconds <= 0) problems.Add("StepTimeoutSeconds must be positive");
        if (o.MaxQueuedRequests < 0) problems.Add($"MaxQueuedRequests must not be negative (is {o.MaxQueuedRequests})");
        if (o.StallCheckSeconds <= 0) problems.Add("StallCheckSeconds must be positive");
        if (o.MaxRecoveries < 0) problems.Add($"MaxRecoveries must not be negative (is {o.MaxRecoveries})");
        if (o.PageLeaseSeconds <= 0) problems.Add("PageLeaseSeconds must be positive");
        if (o.DirectoryLeaseSeconds < 0) problems.Add("DirectoryLeaseSeconds must not be negative");
        if (o.ActivationLogMb < 0) problems.Add($"ActivationLogMb must not be negative (is {o.ActivationLogMb})");
        if (o.DrainTimeoutSeconds < 0) problems.Add("DrainTimeoutSeconds must not be negative");
        if (o.Spare && (o.Layers is not null || o.Stages is not null || o.Auto)) problems.Add("a Spare hosts no layers of its own: give none of Layers, Stages and Auto");
        if (o.PlanTimeoutSeconds <= 0) problems.Add("PlanTimeoutSeconds must be positive");
        if (o.MaxMessageBodyMb <= 0) problems.Add("MaxMessageBodyMb must be positive");
        if (!o.ServesGenerationModel && (o.Layers is not null || o.Stages is not null || o.Auto || o.Spare))
            problems.Add("Layers, Stages, Auto and Spare place a generation model's layers, and with EmbeddingModel alone there is none: give Model too");
        foreach (var (option, text) in new[] { ("Layers", o.Layers), ("Stages", o.Stages) })
            if (text is not null && InclusiveRanges.TryParse(text, out _) is { } error) problems.Add($"{option}: {error}");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

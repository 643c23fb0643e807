using System.Text.Json;
using Cluster.Engine.Formats;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Encoders;

/// <summary>
/// The pooling and normalization a sentence-transformers directory declares: <c>modules.json</c>
/// lists a <c>Pooling</c> module (its <c>config.json</c> names the mode) and, for models trained
/// for cosine similarity, a <c>Normalize</c> module (L2 norm 1). Without <c>modules.json</c>,
/// sentence-transformers' default: mean pooling, not normalized.
/// </summary>
public sealed record SentencePooling(PoolingMode Mode, bool Normalize)
{
    public static SentencePooling Load(string directory)
    {
        string modulesPath = Path.Combine(directory, "modules.json");
        if (!File.Exists(modulesPath)) return new SentencePooling(PoolingMode.Mean, Normalize: false);
        try
        {
            using var modules = JsonDocument.Parse(File.ReadAllText(modulesPath));
            if (modules.RootElement.ValueKind != JsonValueKind.Array) throw new ModelFormatException(modulesPath, "not a JSON list of modules");
            var mode = PoolingMode.Mean;
            bool normalize = false;
            foreach (var module in modules.RootElement.EnumerateArray())
            {
                string type = module.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                if (type.EndsWith(".Normalize", StringComparison.Ordinal)) normalize = true;
                if (type.EndsWith(".Pooling", StringComparison.Ordinal))
                    mode = ReadMode(Path.Combine(directory, module.TryGetProperty("path", out var p) ? p.GetString() ?? "" : "", "config.json"));
            }
            return new SentencePooling(mode, normalize);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(modulesPath, $"not valid JSON: {e.Message}", e);
        }
    }

    private static PoolingMode ReadMode(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "modules.json names a Pooling module, but its config.json is missing");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        bool On(string name) => config.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        var modes = new List<PoolingMode>();
        if (On("pooling_mode_mean_tokens")) modes.Add(PoolingMode.Mean);
        if (On("pooling_mode_cls_token")) modes.Add(PoolingMode.Cls);
        if (On("pooling_mode_max_tokens")) modes.Add(PoolingMode.Max);
        foreach (var unsupported in new[] { "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken" })
            if (On(unsupported)) throw new ModelFormatException(path, $"{unsupported} is not supported (mean, cls and max are)");
        return modes.Count == 1 ? modes[0] : throw new ModelFormatException(path, $"exactly one pooling mode must be on, found {modes.Count}");
    }

    /// <param name="hidden">(B, T, hidden)</param>
    /// <param name="mask">(B, T): 1 for tokens, 0 for padding</param>
    /// <returns>(B, hidden) in float32</returns>
    public Tensor Apply(Tensor hidden, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var states = hidden.to(ScalarType.Float32);
        var weights = mask.to(ScalarType.Float32).unsqueeze(-1); // (B, T, 1)
        var pooled = Mode switch
        {
            PoolingMode.Mean => (states * weights).sum(1) / weights.sum(1).clamp_min(1e-9),
            PoolingMode.Cls => states.select(1, 0),
            _ => states.masked_fill(weights.eq(0), float.NegativeInfinity).amax(1),
        };
        if (Normalize) pooled = F.normalize(pooled, p: 2, dim: 1, eps: 1e-12);
        return pooled.MoveToOuterDisposeScope();
    }
}

using System.Diagnostics;

namespace Cluster.Silo.Telemetry;

/// <summary>One request's clock: started on arrival, marked at the first token, recorded once at the end.</summary>
public sealed class GenAiRequestMeasurement(GenAiMetrics metrics, string operation, string model)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private double? _firstToken;
    private bool _recorded;

    public string Operation { get; } = operation;

    public string Model { get; } = model;

    public void FirstToken() => _firstToken ??= Stopwatch.GetElapsedTime(_started).TotalSeconds;

    public void Succeeded(int promptTokens, int outputTokens) => Record(promptTokens, outputTokens, errorType: null);

    /// <param name="errorType">low-cardinality kind: invalid_request, context_length_exceeded, overloaded, cancelled, internal.</param>
    public void Failed(string errorType) => Record(0, 0, errorType);

    private void Record(int promptTokens, int outputTokens, string? errorType)
    {
        if (_recorded) return;
        _recorded = true;
        metrics.Record(this, Stopwatch.GetElapsedTime(_started).TotalSeconds, _firstToken, promptTokens, outputTokens, errorType);
    }

    internal KeyValuePair<string, object?>[] Tags() =>
    [
        new("gen_ai.operation.name", Operation),
        new("gen_ai.provider.name", GenAiMetrics.Provider),
        new("gen_ai.system", GenAiMetrics.Provider),
        new("gen_ai.request.model", Model),
    ];
}

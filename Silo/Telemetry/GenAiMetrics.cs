using System.Diagnostics.Metrics;
using Cluster.Grains.Telemetry;

namespace Cluster.Silo.Telemetry;

/// <summary>
/// The OpenTelemetry GenAI server metrics (docs/metrics.md), recorded by the silo that answers
/// the HTTP request, with the semantic conventions' recommended buckets.
/// </summary>
public sealed class GenAiMetrics
{
    public const string Provider = "cluster";

    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _timePerOutputToken;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<long> _tokenUsage;

    public GenAiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ServingTelemetry.MeterName);
        _timeToFirstToken = meter.CreateHistogram("gen_ai.server.time_to_first_token", "s", "Time to generate the first token",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0] });
        _timePerOutputToken = meter.CreateHistogram("gen_ai.server.time_per_output_token", "s", "Time per output token after the first",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5] });
        _requestDuration = meter.CreateHistogram("gen_ai.server.request.duration", "s", "Generative AI server request duration",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
        _tokenUsage = meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens used per request",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
    }

    /// <summary>Starts timing one request; the measurement records itself when it ends.</summary>
    public GenAiRequestMeasurement Start(string operation, string model) => new(this, operation, model);

    internal void Record(GenAiRequestMeasurement request, double duration, double? firstToken, int promptTokens, int outputTokens, string? errorType)
    {
        var tags = request.Tags();
        if (errorType is not null)
        {
            _requestDuration.Record(duration, [.. tags, new("error.type", errorType)]);
            return;
        }
        _requestDuration.Record(duration, tags);
        if (firstToken is { } ttft)
        {
            _timeToFirstToken.Record(ttft, tags);
            if (outputTokens >= 2) _timePerOutputToken.Record((duration - ttft) / (outputTokens - 1), tags);
        }
        _tokenUsage.Record(promptTokens, [.. tags, new("gen_ai.token.type", "input")]);
        _tokenUsage.Record(outputTokens, [.. tags, new("gen_ai.token.type", "output")]);
    }
}

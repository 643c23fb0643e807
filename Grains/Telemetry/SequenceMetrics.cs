using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Cluster.Grains.Telemetry;

/// <summary>
/// Serving instruments with vLLM's meanings (docs/metrics.md, "Serving metrics"), recorded by
/// the sequence grains of this silo. Labels: model and replica.
/// </summary>
public sealed class SequenceMetrics
{
    private readonly UpDownCounter<long> _running;
    private readonly UpDownCounter<long> _waiting;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generationTokens;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _preemptions;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _prefillTime;
    private readonly Histogram<double> _decodeTime;
    private readonly ConcurrentDictionary<(string Model, int Replica), bool> _announced = new();

    private readonly ServingWindow _window;

    public SequenceMetrics(IMeterFactory meters, ServingWindow window)
    {
        _window = window;
        var meter = meters.Create(ServingTelemetry.MeterName);
        var phase = new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.RequestPhaseSeconds };
        _running = meter.CreateUpDownCounter<long>("cluster.requests.running", "{request}", "Sequences admitted and generating");
        _waiting = meter.CreateUpDownCounter<long>("cluster.requests.waiting", "{request}", "Sequences waiting for KV pages");
        _promptTokens = meter.CreateCounter<long>("cluster.prompt_tokens", "{token}", "Prompt tokens processed by prefill");
        _generationTokens = meter.CreateCounter<long>("cluster.generation_tokens", "{token}", "Tokens generated");
        _finished = meter.CreateCounter<long>("cluster.requests.finished", "{request}", "Requests that ended, by reason");
        _preemptions = meter.CreateCounter<long>("cluster.preemptions", "{preemption}", "Sequences preempted and recomputed later");
        _queueTime = meter.CreateHistogram("cluster.request.queue_time", "s", "Arrival to admission", advice: phase);
        _prefillTime = meter.CreateHistogram("cluster.request.prefill_time", "s", "Admission to the first token", advice: phase);
        _decodeTime = meter.CreateHistogram("cluster.request.decode_time", "s", "First token to last token", advice: phase);
    }

    public void Waiting(string model, int replica, int delta)
    {
        Announce(model, replica);
        _waiting.Add(delta, Tags(model, replica));
        _window.Waiting(model, replica, delta);
    }

    /// <summary>
    /// Publishes the rare counters at zero the first time a pipeline serves, so dashboards and
    /// alerts see a series (0, not absent) before the first preemption or failure.
    /// </summary>
    private void Announce(string model, int replica)
    {
        if (!_announced.TryAdd((model, replica), true)) return;
        var tags = Tags(model, replica);
        _preemptions.Add(0, tags);
        foreach (var reason in new[] { "stop", "length", "cancelled", "error" })
            _finished.Add(0, [.. tags, new("finished_reason", reason)]);
    }

    public void Admitted(string model, int replica, TimeSpan queued)
    {
        Running(model, replica, +1);
        _queueTime.Record(queued.TotalSeconds, Tags(model, replica));
    }

    /// <summary>A sequence starts (+1) or stops (-1) running: admitted, preempted, readmitted.</summary>
    public void Running(string model, int replica, int delta)
    {
        _running.Add(delta, Tags(model, replica));
        _window.Running(model, replica, delta);
    }

    /// <param name="sinceArrival">time to first token: the wait for pages and the prefill.</param>
    public void Prefilled(string model, int replica, int promptTokens, TimeSpan prefill, TimeSpan sinceArrival)
    {
        _window.FirstToken(model, replica, sinceArrival);
        _promptTokens.Add(promptTokens, Tags(model, replica));
        _prefillTime.Record(prefill.TotalSeconds, Tags(model, replica));
    }

    public void Generated(string model, int replica)
    {
        _generationTokens.Add(1, Tags(model, replica));
        _window.Generated(model, replica);
    }

    public void Preempted(string model, int replica) => _preemptions.Add(1, Tags(model, replica));

    /// <param name="admitted">whether the sequence was ever admitted (a refused one never was).</param>
    /// <param name="decode">first token to last, when there was a first token.</param>
    /// <param name="tokens">tokens the sequence generated.</param>
    /// <param name="running">whether it holds one of the running count now (a preempted one waiting again does not).</param>
    public void Finished(string model, int replica, string reason, bool admitted, TimeSpan? decode, int tokens = 0, bool running = true)
    {
        var tags = Tags(model, replica);
        if (admitted)
        {
            if (running) Running(model, replica, -1);
            _window.Finished(model, replica, decode is { } between && tokens >= 2 ? between / (tokens - 1) : null);
        }
        if (decode is { } d) _decodeTime.Record(d.TotalSeconds, tags);
        _finished.Add(1, [.. tags, new("finished_reason", reason)]);
    }

    /// <summary>The <c>finished_reason</c> of a request that ended without a token of its own saying why.</summary>
    public static string Reason(Exception error) => error is OperationCanceledException ? "cancelled" : "error";

    private static KeyValuePair<string, object?>[] Tags(string model, int replica) =>
        [new("model", model), new("replica", replica.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

using Cluster.Grains.Sequences;

namespace Cluster.Grains.Telemetry;

/// <summary>
/// One sequence's way through the serving phases (waiting for pages, prefill, decode), turned
/// into the serving metrics as each phase ends; it keeps the running/waiting gauges balanced
/// whatever way the sequence ends. A preempted sequence is waiting again until it is readmitted,
/// as vLLM counts it.
/// </summary>
public sealed class SequenceTimeline(SequenceMetrics metrics, TimeProvider time, string model, int replica)
{
    private readonly long _arrived = time.GetTimestamp();
    private long _admitted;
    private long _firstToken;
    private long _lastToken;
    private int _tokens;
    private bool _waiting;
    private bool _running;
    private bool _admittedOnce;
    private FinishReason? _finish;

    public void Waiting()
    {
        _waiting = true;
        metrics.Waiting(model, replica, +1);
    }

    public void Admitted()
    {
        _admitted = time.GetTimestamp();
        StopWaiting();
        _running = true;
        _admittedOnce = true;
        metrics.Admitted(model, replica, time.GetElapsedTime(_arrived, _admitted));
    }

    /// <summary>Preempted: its pages are gone and it waits for them again.</summary>
    public void Preempted()
    {
        if (!_running) return;
        _running = false;
        metrics.Running(model, replica, -1);
        Waiting();
    }

    /// <summary>A preempted sequence holds pages again and runs on.</summary>
    public void Readmitted()
    {
        if (_running) return;
        StopWaiting();
        _running = true;
        metrics.Running(model, replica, +1);
    }

    /// <summary>A request that never got its pages.</summary>
    public void Refused(Exception error)
    {
        StopWaiting();
        metrics.Finished(model, replica, SequenceMetrics.Reason(error), admitted: false, decode: null);
    }

    public void Token(int promptTokens, FinishReason? finish)
    {
        _lastToken = time.GetTimestamp();
        if (_firstToken == 0)
        {
            _firstToken = _lastToken;
            metrics.Prefilled(model, replica, promptTokens, time.GetElapsedTime(_admitted, _firstToken), time.GetElapsedTime(_arrived, _firstToken));
        }
        _tokens++;
        metrics.Generated(model, replica);
        _finish ??= finish;
    }

    public void Finished(bool cancelled)
    {
        if (!_admittedOnce) return; // refused: counted as such
        _admittedOnce = false;
        StopWaiting();
        string reason = _finish switch
        {
            FinishReason.Stop => "stop",
            FinishReason.Length => "length",
            _ => cancelled ? "cancelled" : "error",
        };
        var decode = _firstToken == 0 ? (TimeSpan?)null : time.GetElapsedTime(_firstToken, _lastToken);
        metrics.Finished(model, replica, reason, admitted: true, decode, _tokens, running: _running);
        _running = false;
    }

    private void StopWaiting()
    {
        if (!_waiting) return;
        _waiting = false;
        metrics.Waiting(model, replica, -1);
    }
}

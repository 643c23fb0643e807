namespace Cluster.Api.Tests.Cli;

/// <summary>
/// Captured output that remembers how much text there was at each flush (to see that text is
/// printed as it arrives, not at the end) and can act on the first text written.
/// </summary>
public sealed class FlushRecordingWriter(Action? onFirstWrite = null) : StringWriter
{
    private Action? _onFirstWrite = onFirstWrite;

    public List<int> FlushedLengths { get; } = [];

    public override void Flush()
    {
        FlushedLengths.Add(GetStringBuilder().Length);
        base.Flush();
    }

    public override Task FlushAsync()
    {
        Flush();
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        if (!string.IsNullOrEmpty(value))
            Interlocked.Exchange(ref _onFirstWrite, null)?.Invoke();
        return Task.CompletedTask;
    }
}

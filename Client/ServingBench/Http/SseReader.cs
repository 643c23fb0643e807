using System.Runtime.CompilerServices;
using System.Text;

namespace Cluster.ServingBench.Http;

/// <summary>
/// Server-sent events as OpenAI-compatible servers stream them: each event's <c>data:</c> lines
/// joined by newlines, events ending at a blank line; comments (<c>:</c>) and other fields
/// ignored. The OpenAI sentinel <c>[DONE]</c> ends the stream.
/// </summary>
public static class SseReader
{
    public const string Done = "[DONE]";

    public static async IAsyncEnumerable<string> ReadDataAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        bool hasData = false;
        while (await reader.ReadLineAsync(cancel).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    string payload = data.ToString();
                    if (payload == Done)
                        yield break;
                    yield return payload;
                }
                data.Clear();
                hasData = false;
                continue;
            }
            if (line.StartsWith(':'))
                continue;
            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line[..colon];
            if (field != "data")
                continue;
            string value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
                value = value[1..];
            if (hasData)
                data.Append('\n');
            data.Append(value);
            hasData = true;
        }
        // A stream cut without a final blank line still delivers its last event.
        if (hasData && data.ToString() is var last && last != Done)
            yield return last;
    }
}

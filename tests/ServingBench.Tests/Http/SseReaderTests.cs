using System.Text;
using Cluster.ServingBench.Http;

namespace Cluster.ServingBench.Tests.Http;

public sealed class SseReaderTests
{
    private static async Task<List<string>> Read(string text)
    {
        var events = new List<string>();
        await foreach (string data in SseReader.ReadDataAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
            events.Add(data);
        return events;
    }

    [Fact]
    public async Task ReadDataAsync_WhenCommentsMultilineDataAndDone_YieldsEventsUpToDone()
    {
        var events = await Read(": keep-alive\n\ndata: {\"a\":1}\n\nevent: x\ndata: line1\ndata:line2\n\ndata: [DONE]\n\ndata: after\n\n");

        Assert.Equal(["{\"a\":1}", "line1\nline2"], events);
    }

    [Fact]
    public async Task ReadDataAsync_WhenCrLfAndNoFinalBlankLine_StillYieldsLastEvent()
    {
        var events = await Read("data: one\r\n\r\ndata: two");

        Assert.Equal(["one", "two"], events);
    }

    [Fact]
    public void Parse_WhenChatDeltaAndUsage_ReadsContentAndCounts()
    {
        var chat = new CompletionEndpoint("/v1/chat/completions");

        var (text, prompt, completion) = chat.Parse("{\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}");

        Assert.True(chat.IsChat);
        Assert.Equal(("hi", 3, 5), (text, prompt, completion));
    }

    [Fact]
    public void Parse_WhenStreamedError_Throws()
    {
        var completions = new CompletionEndpoint("/v1/completions");

        Assert.Throws<InvalidOperationException>(() => completions.Parse("{\"error\":{\"message\":\"bad\"}}"));
    }
}

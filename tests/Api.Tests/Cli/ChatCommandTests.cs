using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;
using Cluster.Client.Commands.Chat;
using Cluster.Client.Http;

namespace Cluster.Api.Tests.Cli;

/// <summary><c>chat --url</c> driven by piped input against a real silo process serving stories260K.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class ChatCommandTests(SiloServer server)
{
    private const int MaxTokens = 20;

    private string Url => server.BaseAddress.ToString();

    [SharedModelFact]
    public async Task ChatWithUrl_WhenTwoQuestionsThenExit_AnswersBothWithTheHistoryAndStops()
    {
        string first = await AnswerAsync(("user", "Hello"));
        string second = await AnswerAsync(("user", "Hello"), ("assistant", first), ("user", "Tell me a story"));

        var run = await CliRun.InvokeAsync(
            ["chat", "--url", Url, "--max-tokens", MaxTokens.ToString()],
            input: "Hello\nTell me a story\n/exit\nThis line is never asked\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        // The second answer is the one to the whole conversation, and nothing is asked after /exit.
        Assert.Equal($"{first}\n{second}\n", run.Output);
    }

    [SharedModelFact]
    public async Task ChatWithUrl_WhenResetAndSystemPrompt_StartsOverKeepingTheSystemPrompt()
    {
        const string system = "You tell short stories.";
        string first = await AnswerAsync(("system", system), ("user", "Hello"));
        string second = await AnswerAsync(("system", system), ("user", "Hello"), ("assistant", first), ("user", "Go on"));

        // The end of the input ends the session like /exit.
        var run = await CliRun.InvokeAsync(
            ["chat", "--url", Url, "--system", system, "--max-tokens", MaxTokens.ToString()],
            input: "Hello\nGo on\n/reset\nHello\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"{first}\n{second}\n{first}\n", run.Output);
        Assert.Contains("[conversation reset]", run.Error);
    }

    [SharedModelFact]
    public async Task ChatWithUrl_WhenModelUnknown_PrintsServerMessageAndExitsWithOne()
    {
        var run = await CliRun.InvokeAsync(["chat", "--url", Url, "--model", "no-such-model"], input: "Hello\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HTTP 404", run.Error);
        Assert.Contains("the model 'no-such-model' does not exist", run.Error);
    }

    [SharedModelFact]
    public async Task ChatSession_WhenAnswerCancelled_GoesOnWithoutItAndTheServerFreesThePages()
    {
        string hello = await AnswerAsync(("user", "Hello"));
        ChatSession? session = null;
        // What Ctrl+C does, as soon as the first text of the long answer is printed.
        var output = new FlushRecordingWriter(() => Assert.True(session!.CancelAnswer()));
        var error = new StringWriter();
        using var client = new OpenAiHttpClient(server.BaseAddress);
        var sampling = new SamplingRequest { MaxTokens = 400, Temperature = 0 };
        session = new ChatSession(client, SiloServer.Model, sampling, new ChatHistory(system: null), output, error);

        int exitCode = await session.RunAsync(new StringReader("Tell me a long story\n"), prompt: false, CancellationToken.None);
        string cancelled = output.ToString();
        // The next question is asked without the cancelled turn in the history.
        var rest = new FlushRecordingWriter();
        var next = new ChatSession(client, SiloServer.Model, sampling with { MaxTokens = MaxTokens }, new ChatHistory(system: null), rest, error);
        await next.RunAsync(new StringReader("Hello\n"), prompt: false, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("[answer cancelled]", error.ToString());
        Assert.True(cancelled.Length < 200, $"the answer went on after the cancel: {cancelled}");
        Assert.Equal($"{hello}\n", rest.ToString());
        await AssertPagesFreedAsync();
    }

    private async Task AssertPagesFreedAsync()
    {
        JsonNode? stage = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            stage = JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!["stages"]![0]!;
            if (stage["pages_used"]!.GetValue<int>() == 0 && stage["sequences"]!.GetValue<int>() == 0)
                return;
        }
        Assert.Fail($"pages still held after the cancelled answer: {stage?.ToJsonString()}");
    }

    /// <summary>The greedy answer to a conversation, asked without streaming.</summary>
    private async Task<string> AnswerAsync(params (string Role, string Content)[] messages)
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = SiloServer.Model,
            messages = messages.Select(m => new { role = m.Role, content = m.Content }),
            max_tokens = MaxTokens,
            temperature = 0,
        });
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["choices"]![0]!["message"]!["content"]!.GetValue<string>();
    }
}

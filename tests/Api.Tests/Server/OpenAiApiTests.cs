using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Cluster.Api.Tests.Server;

/// <summary>The HTTP API of a real silo process serving the real stories260K.</summary>
public sealed class OpenAiApiTests(SiloServer server) : IClassFixture<SiloServer>
{
    private const string Model = SiloServer.Model;

    private ChatClient Chat => new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") })
        .GetChatClient(Model);

    [SharedModelFact]
    public async Task Completions_WhenGreedyOnceUponATime_MatchesLlama2cGolden()
    {
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(SharedModels.Path("stories260K", "golden-greedy-once-upon-a-time.json")))!;
        int generated = golden["generated_ids"]!.AsArray().Count;
        var response = await PostAsync("/v1/completions", new { model = Model, prompt = "Once upon a time", max_tokens = generated, temperature = 0 });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var choice = response.Body["choices"]![0]!;
        // run.c prints the prompt, the generated pieces and a final newline.
        Assert.Equal(golden["text"]!.GetValue<string>().TrimEnd('\n'), "Once upon a time" + choice["text"]!.GetValue<string>());
        Assert.Equal("length", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal(golden["prompt_ids"]!.AsArray().Count, response.Body["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(generated, response.Body["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("text_completion", response.Body["object"]!.GetValue<string>());
        Assert.StartsWith("cmpl-", response.Body["id"]!.GetValue<string>());
    }

    [SharedModelFact]
    public async Task Completions_WhenStreamed_ChunksAddUpToTheWholeAnswerAndEndWithDone()
    {
        var request = new { model = Model, prompt = "Once upon a time", max_tokens = 30, temperature = 0 };
        var whole = await PostAsync("/v1/completions", request);
        var events = await StreamAsync("/v1/completions", new { request.model, request.prompt, request.max_tokens, request.temperature, stream = true, stream_options = new { include_usage = true } });

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        string text = string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal(whole.Body["choices"]![0]!["text"]!.GetValue<string>(), text);
        Assert.Equal("length", chunks.Last(c => c["choices"]!.AsArray().Count > 0)["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(30, chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [SharedModelFact]
    public async Task Completions_WhenAStopTokenIdIsGenerated_EndsThereWithStop()
    {
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(SharedModels.Path("stories260K", "golden-greedy-once-upon-a-time.json")))!;
        var generated = golden["generated_ids"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();

        var response = await PostAsync("/v1/completions", new { model = Model, prompt = "Once upon a time", max_tokens = 60, temperature = 0, stop_token_ids = new[] { generated[6] } });

        var choice = response.Body["choices"]![0]!;
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal(Array.IndexOf(generated, generated[6]) + 1, response.Body["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.StartsWith(choice["text"]!.GetValue<string>(), golden["text"]!.GetValue<string>()["Once upon a time".Length..]);
    }

    [SharedModelFact]
    public async Task Completions_WhenStopStringSpansTokens_EndsBeforeItWithStop()
    {
        // The greedy story reads "... a little girl named Lily."; "girl na" covers parts of two tokens.
        var response = await PostAsync("/v1/completions", new { model = Model, prompt = "Once upon a time", max_tokens = 60, temperature = 0, stop = new[] { "xyz", "girl na" } });
        var choice = response.Body["choices"]![0]!;
        Assert.Equal(", there was a little ", choice["text"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
    }

    [SharedModelFact]
    public async Task Completions_WhenLogprobsAsked_ReportsChosenTokenAndAlternatives()
    {
        var response = await PostAsync("/v1/completions", new { model = Model, prompt = "Once upon a time", max_tokens = 3, temperature = 0, logprobs = 2 });
        var logprobs = response.Body["choices"]![0]!["logprobs"]!;
        Assert.Equal(3, logprobs["tokens"]!.AsArray().Count);
        Assert.All(logprobs["token_logprobs"]!.AsArray(), lp => Assert.True(lp!.GetValue<float>() <= 0));
        Assert.All(logprobs["top_logprobs"]!.AsArray(), top => Assert.Equal(2, top!.AsObject().Count));
    }

    [SharedModelFact]
    public async Task ChatCompletions_WhenOpenAiSdkStreamsAndNot_GivesTheSameGreedyAnswer()
    {
        ChatMessage[] messages = [new SystemChatMessage("Tell a story."), new UserChatMessage("Once upon a time")];
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 20 };

        ChatCompletion whole = await Chat.CompleteChatAsync(messages, options);
        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.Length, whole.FinishReason);
        Assert.Equal(20, whole.Usage.OutputTokenCount);
        Assert.True(whole.Usage.InputTokenCount > 5);
        Assert.Equal(Model, whole.Model);
        Assert.Equal(whole.Content[0].Text, streamed.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
    }

    [SharedModelFact]
    public async Task ChatCompletions_WhenTopLogprobsAsked_SdkReadsThem()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 4, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };
        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("Hi")], options);
        Assert.Equal(4, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.Equal(3, t.TopLogProbabilities.Count));
    }

    [SharedModelFact]
    public async Task ChatCompletions_WhenOnlyLogprobsAsked_ReportsEachGreedyTokensLogprob()
    {
        // Greedy without logprobs skips the softmax; asking for logprobs alone must bring it back.
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 4, IncludeLogProbabilities = true };
        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("Hi")], options);
        Assert.Equal(4, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.InRange(t.LogProbability, -100f, 0f));
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.Empty(t.TopLogProbabilities));
    }

    [SharedModelFact]
    public async Task Models_WhenListed_NamesTheServedModel()
    {
        using var response = await server.Http.GetAsync("/v1/models");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(Model, body["data"]![0]!["id"]!.GetValue<string>());
        Assert.False(body["data"]![0]!["embedded_default"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadRequests => new()
    {
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": ", HttpStatusCode.BadRequest, "not valid JSON" },
        { "/v1/completions", "[1, 2]", HttpStatusCode.BadRequest, "must be a JSON object" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"temperature\": \"hot\"}", HttpStatusCode.BadRequest, "temperature must be a number" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"temperature\": 2.5}", HttpStatusCode.BadRequest, "temperature must be in [0, 2]" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"top_p\": 0}", HttpStatusCode.BadRequest, "top_p must be in (0, 1]" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"max_tokens\": 0}", HttpStatusCode.BadRequest, "max_tokens must be in" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"max_tokens\": 2.5}", HttpStatusCode.BadRequest, "max_tokens must be an integer" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"n\": 2}", HttpStatusCode.BadRequest, "n must be 1" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"stop\": 5}", HttpStatusCode.BadRequest, "stop must be a string or an array" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"stop_token_ids\": [\"a\"]}", HttpStatusCode.BadRequest, "stop_token_ids[0] must be a token id" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"stop_token_ids\": [99999]}", HttpStatusCode.BadRequest, "stop token 99999 is outside the vocabulary" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"x\", \"presence_penalty\": -3}", HttpStatusCode.BadRequest, "presence_penalty must be in [-2, 2]" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": [1, 99999]}", HttpStatusCode.BadRequest, "must be a token id" },
        { "/v1/completions", "{\"model\": \"stories260k\"}", HttpStatusCode.BadRequest, "prompt is required" },
        { "/v1/completions", "{\"prompt\": \"x\"}", HttpStatusCode.BadRequest, "model is required" },
        { "/v1/completions", "{\"model\": \"gpt-9\", \"prompt\": \"x\"}", HttpStatusCode.NotFound, "'gpt-9' does not exist" },
        { "/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"" + string.Concat(Enumerable.Repeat("Once upon a time ", 200)) + "\"}", HttpStatusCode.BadRequest, "context window" },
        { "/v1/chat/completions", "{\"model\": \"stories260k\"}", HttpStatusCode.BadRequest, "messages is required" },
        { "/v1/chat/completions", "{\"model\": \"stories260k\", \"messages\": []}", HttpStatusCode.BadRequest, "at least one message" },
        { "/v1/chat/completions", "{\"model\": \"stories260k\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}", HttpStatusCode.BadRequest, "role must be one of" },
        { "/v1/chat/completions", "{\"model\": \"stories260k\", \"messages\": \"hi\"}", HttpStatusCode.BadRequest, "messages must be an array" },
        { "/v1/chat/completions", "{\"model\": \"stories260k\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"top_logprobs\": 30, \"logprobs\": true}", HttpStatusCode.BadRequest, "top_logprobs must be in [0, 20]" },
    };

    [SharedModelTheory]
    [MemberData(nameof(BadRequests))]
    public async Task Endpoints_WhenRequestIsBad_AnswerTheStatusAndNameTheProblem(string path, string body, HttpStatusCode status, string message)
    {
        using var response = await server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.NotNull(error["type"]);
    }

    [SharedModelFact]
    public async Task Completions_WhenAdmissionQueueIsFull_Answers429WithRetryAfter()
    {
        var request = new { model = Model, prompt = "Once upon a time", max_tokens = 400, ignore_eos = true };
        var calls = Enumerable.Range(0, 4 * SiloServer.MaxConcurrent).Select(_ => server.Http.PostAsync("/v1/completions", Json(request))).ToArray();
        var responses = await Task.WhenAll(calls);

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.All(refused, r => Assert.NotNull(r.Headers.RetryAfter));
        Assert.Contains("too many requests", await refused[0].Content.ReadAsStringAsync());
        foreach (var r in responses) r.Dispose();
    }

    [SharedModelFact]
    public async Task Completions_WhenClientDisconnectsMidStream_PagesAreFreedOnEveryStage()
    {
        var request = new { model = Model, prompt = "Once upon a time", max_tokens = 480, ignore_eos = true, stream = true };
        using var cancel = new CancellationTokenSource();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = Json(request) };
        var response = await server.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        Assert.StartsWith("data: {", await reader.ReadLineAsync(cancel.Token));

        var during = await StatusAsync();
        Assert.Contains(during["stages"]!.AsArray(), s => s!["pages_used"]!.GetValue<int>() > 0);
        cancel.Cancel();
        response.Dispose();

        JsonNode after = during;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            after = await StatusAsync();
            // The admission slot is released when the request's handler unwinds, a moment after the pages.
            if (after["stages"]!.AsArray().All(s => s!["pages_used"]!.GetValue<int>() == 0) && after["admission"]!["running"]!.GetValue<int>() == 0) break;
        }
        Assert.All(after["stages"]!.AsArray(), s => Assert.Equal(s!["page_count"]!.GetValue<int>(), s["pages_free"]!.GetValue<int>()));
        Assert.Equal(0, after["admission"]!["running"]!.GetValue<int>());
    }

    private async Task<JsonNode> StatusAsync() => JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, object body)
    {
        using var response = await server.Http.PostAsync(path, Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    private async Task<string[]> StreamAsync(string path, object body)
    {
        using var response = await server.Http.PostAsync(path, Json(body));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e[6..] : throw new InvalidOperationException(e)).ToArray();
    }
}

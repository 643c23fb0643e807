using System.Text;
using Cluster.Client.Http;

namespace Cluster.Client.Commands.Chat;

/// <summary>
/// The chat loop: a line of input is a question (or <c>/reset</c>, <c>/exit</c>), its answer is
/// streamed from <c>/v1/chat/completions</c> and printed as it arrives, and the conversation is
/// sent again with each question. <see cref="CancelAnswer"/> (Ctrl+C) stops the answer being
/// streamed and the session goes on.
/// </summary>
internal sealed class ChatSession(OpenAiHttpClient client, string model, SamplingRequest sampling, ChatHistory history, TextWriter output, TextWriter error)
{
    public const string Exit = "/exit";
    public const string Reset = "/reset";
    private readonly Lock _gate = new();
    private CancellationTokenSource? _answer;

    /// <summary>Reads questions until <c>/exit</c> or the end of input; exit code 1 when a question got a server error.</summary>
    public async Task<int> RunAsync(TextReader input, bool prompt, CancellationToken cancel)
    {
        int exitCode = 0;
        while (true)
        {
            if (prompt)
            {
                await output.WriteAsync("> ");
                await output.FlushAsync(cancel);
            }
            string? line = await input.ReadLineAsync(cancel);
            if (line is null)
                break;
            string question = line.Trim();
            if (question.Length == 0)
                continue;
            if (question == Exit)
                break;
            if (question == Reset)
            {
                history.Reset();
                await error.WriteLineAsync("[conversation reset]");
                continue;
            }
            if (!await AnswerAsync(question, cancel))
                exitCode = 1;
        }
        return exitCode;
    }

    /// <summary>Stops the answer being streamed; false when none is (Ctrl+C at the prompt).</summary>
    public bool CancelAnswer()
    {
        lock (_gate)
        {
            if (_answer is null)
                return false;
            _answer.Cancel();
            return true;
        }
    }

    private async Task<bool> AnswerAsync(string question, CancellationToken cancel)
    {
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        lock (_gate) _answer = answer;
        var text = new StringBuilder();
        try
        {
            await foreach (var delta in client.StreamChatAsync(model, history.Ask(question), sampling, answer.Token))
            {
                await output.WriteAsync(delta.Text);
                await output.FlushAsync(CancellationToken.None);
                text.Append(delta.Text);
            }
            await output.WriteLineAsync();
            history.Answered(question, text.ToString());
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && answer.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            // Closing the stream made the server stop and free the pages; a cut-off answer is not
            // kept, so the history stays as it was before the question.
            if (text.Length > 0)
                await output.WriteLineAsync();
            await error.WriteLineAsync("[answer cancelled]");
            return true;
        }
        catch (ServerErrorException e)
        {
            if (text.Length > 0)
                await output.WriteLineAsync();
            await error.WriteLineAsync($"error: {e.Describe()}");
            return false;
        }
        finally
        {
            lock (_gate) _answer = null;
        }
    }
}

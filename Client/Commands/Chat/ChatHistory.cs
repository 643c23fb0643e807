using Cluster.Client.Http;

namespace Cluster.Client.Commands.Chat;

/// <summary>
/// The conversation sent with every turn: the system prompt (kept across <c>/reset</c>), then the
/// user's questions and the answers that were completed.
/// </summary>
internal sealed class ChatHistory(string? system)
{
    private readonly List<ChatMessage> _turns = [];

    public int TurnCount => _turns.Count / 2;

    /// <summary>The messages for a new question; the question joins the history only with its answer.</summary>
    public IEnumerable<ChatMessage> Ask(string question)
    {
        if (system is not null)
            yield return new ChatMessage("system", system);
        foreach (var turn in _turns)
            yield return turn;
        yield return new ChatMessage("user", question);
    }

    public void Answered(string question, string answer)
    {
        _turns.Add(new ChatMessage("user", question));
        _turns.Add(new ChatMessage("assistant", answer));
    }

    public void Reset() => _turns.Clear();
}

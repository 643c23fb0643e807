using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;
using Cluster.Silo.Api.ChatTemplates.Jinja.Statements;
using Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

namespace Cluster.Silo.Api.ChatTemplates;

/// <summary>
/// A compiled chat template: turns messages into the prompt text the model was trained on, with
/// the variables Hugging Face passes (<c>messages</c>, <c>add_generation_prompt</c>,
/// <c>bos_token</c>, <c>eos_token</c>, <c>raise_exception</c>).
/// </summary>
public sealed class ChatTemplate
{
    private readonly IReadOnlyList<Node> _nodes;

    private ChatTemplate(string source, IReadOnlyList<Node> nodes)
    {
        Source = source;
        _nodes = nodes;
    }

    public string Source { get; }

    /// <summary>Compiles; a construct outside the supported subset throws <see cref="TemplateException"/> naming it.</summary>
    public static ChatTemplate Parse(string source) => new(source, TemplateParser.Parse(source));

    /// <summary>The prompt text; a template that refuses the messages (raise_exception) throws <see cref="TemplateException"/>.</summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, string bosToken, string eosToken)
    {
        var globals = new Dictionary<string, object?>(Builtins.Globals())
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
        };
        var output = new StringBuilder();
        Node.RenderAll(_nodes, new RenderScope(globals), output);
        return output.ToString();
    }
}

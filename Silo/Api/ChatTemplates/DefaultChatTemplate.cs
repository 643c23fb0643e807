namespace Cluster.Silo.Api.ChatTemplates;

/// <summary>
/// The template for models whose files carry none (llama2.c checkpoints, base models): a system
/// message as a plain first paragraph, then <c>User: ...</c> / <c>Assistant: ...</c> lines, and
/// <c>Assistant:</c> to prompt the reply. BOS comes from the tokenizer, not the template.
/// Documented in docs/api.md.
/// </summary>
public static class DefaultChatTemplate
{
    public const string Source =
        "{% for message in messages %}" +
        "{% if message.role == 'system' %}{{ message.content | trim }}\n\n" +
        "{% else %}{{ message.role | capitalize }}: {{ message.content | trim }}\n{% endif %}" +
        "{% endfor %}" +
        "{% if add_generation_prompt %}Assistant:{% endif %}";

    public static ChatTemplate Instance { get; } = ChatTemplate.Parse(Source);
}

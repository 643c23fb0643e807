namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>The kinds of token inside a <c>{{ }}</c> or <c>{% %}</c> tag.</summary>
public enum TokenKind
{
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

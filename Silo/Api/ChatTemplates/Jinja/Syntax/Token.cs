namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>One token of a tag, with the template line it is on for error messages.</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Line)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsOperator(string text) => Is(TokenKind.Operator, text);

    public bool IsName(string text) => Is(TokenKind.Name, text);
}

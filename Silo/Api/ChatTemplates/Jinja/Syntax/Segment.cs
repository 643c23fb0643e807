namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>A piece of the template: text (already whitespace-controlled) or a tag's tokens.</summary>
public sealed record Segment(SegmentKind Kind, string Text, IReadOnlyList<Token> Tokens, int Line);

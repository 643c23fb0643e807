namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>Literal text, an output tag <c>{{ }}</c>, or a statement tag <c>{% %}</c>.</summary>
public enum SegmentKind
{
    Text,
    Output,
    Statement,
}

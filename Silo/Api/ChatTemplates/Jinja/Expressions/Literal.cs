using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary>A string, number, boolean or none written in the template.</summary>
public sealed record Literal(object? Value) : Expression
{
    public override object? Evaluate(RenderScope scope) => Value;
}

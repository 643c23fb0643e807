using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary>A variable (undefined when no frame holds it).</summary>
public sealed record NameReference(string Name) : Expression
{
    public override object? Evaluate(RenderScope scope) => scope.Get(Name);
}

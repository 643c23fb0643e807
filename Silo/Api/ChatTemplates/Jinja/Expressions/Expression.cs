using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary>A Jinja expression: evaluated to a value against the render's variables.</summary>
public abstract record Expression
{
    public abstract object? Evaluate(RenderScope scope);
}

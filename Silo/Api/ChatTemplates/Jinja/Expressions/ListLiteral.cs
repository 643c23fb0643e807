using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>[a, b]</c> or a tuple <c>(a, b)</c> (templates use both as lists).</summary>
public sealed record ListLiteral(IReadOnlyList<Expression> Items) : Expression
{
    public override object? Evaluate(RenderScope scope) => Items.Select(i => i.Evaluate(scope)).ToList();
}

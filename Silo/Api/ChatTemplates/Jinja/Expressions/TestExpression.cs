using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>value is [not] name</c>.</summary>
public sealed record TestExpression(Expression Value, string Name, IReadOnlyList<Expression> Args, bool Negated) : Expression
{
    public override object? Evaluate(RenderScope scope) =>
        Builtins.Test(Name, Value.Evaluate(scope), Args.Select(a => a.Evaluate(scope)).ToList()) != Negated;
}

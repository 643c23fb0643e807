using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>and</c> / <c>or</c>, short-circuiting and returning an operand as Python does.</summary>
public sealed record LogicalExpression(bool IsAnd, Expression Left, Expression Right) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var left = Left.Evaluate(scope);
        return Values.Truthy(left) == IsAnd ? Right.Evaluate(scope) : left;
    }
}

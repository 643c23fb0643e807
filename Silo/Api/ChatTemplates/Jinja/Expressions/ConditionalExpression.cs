using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>a if condition else b</c> (undefined when the else part is missing and the condition is false).</summary>
public sealed record ConditionalExpression(Expression Condition, Expression Then, Expression? Else) : Expression
{
    public override object? Evaluate(RenderScope scope) =>
        Values.Truthy(Condition.Evaluate(scope)) ? Then.Evaluate(scope) : Else is null ? Undefined.Instance : Else.Evaluate(scope);
}

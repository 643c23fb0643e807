using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>not x</c>, <c>-x</c>, <c>+x</c>.</summary>
public sealed record UnaryExpression(string Operator, Expression Operand) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var value = Operand.Evaluate(scope);
        return Operator switch
        {
            "not" => !Values.Truthy(value),
            "-" => value is long l ? (object)(-l) : -Values.ToDouble(value),
            _ => value is long or double ? value : Values.ToDouble(value),
        };
    }
}

using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary>Arithmetic, <c>~</c> (string concatenation), comparisons and membership.</summary>
public sealed record BinaryExpression(string Operator, Expression Left, Expression Right) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var a = Left.Evaluate(scope);
        var b = Right.Evaluate(scope);
        return Operator switch
        {
            "+" => Values.Add(a, b),
            "~" => TemplateLimits.Checked(Values.Str(a) + Values.Str(b)),
            "==" => Values.AreEqual(a, b),
            "!=" => !Values.AreEqual(a, b),
            "<" => Values.Compare(a, b) < 0,
            "<=" => Values.Compare(a, b) <= 0,
            ">" => Values.Compare(a, b) > 0,
            ">=" => Values.Compare(a, b) >= 0,
            "in" => Values.Contains(b, a),
            "not in" => !Values.Contains(b, a),
            _ => Values.Arithmetic(Operator, a, b),
        };
    }
}

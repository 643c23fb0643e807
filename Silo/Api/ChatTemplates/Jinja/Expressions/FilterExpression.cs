using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>value | name(args)</c>.</summary>
public sealed record FilterExpression(Expression Value, string Name, IReadOnlyList<Expression> Args, IReadOnlyDictionary<string, Expression> Kwargs) : Expression
{
    public override object? Evaluate(RenderScope scope) =>
        Builtins.Filter(Name, Value.Evaluate(scope), Args.Select(a => a.Evaluate(scope)).ToList(), Kwargs.ToDictionary(k => k.Key, k => k.Value.Evaluate(scope)));
}

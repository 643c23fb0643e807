using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>f(a, b, key=value)</c>: a global function or a method.</summary>
public sealed record CallExpression(Expression Callee, IReadOnlyList<Expression> Args, IReadOnlyDictionary<string, Expression> Kwargs) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var callee = Callee.Evaluate(scope);
        if (callee is not JinjaCallable function) throw new TemplateException($"{Describe(Callee)} is not callable ({Values.TypeName(callee)})");
        return function(Args.Select(a => a.Evaluate(scope)).ToList(), Kwargs.ToDictionary(k => k.Key, k => k.Value.Evaluate(scope)));
    }

    private static string Describe(Expression e) => e switch
    {
        NameReference n => n.Name,
        AttributeAccess a => a.Name,
        _ => "the expression",
    };
}

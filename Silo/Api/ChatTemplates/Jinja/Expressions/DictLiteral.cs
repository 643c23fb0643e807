using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>{'key': value}</c>.</summary>
public sealed record DictLiteral(IReadOnlyList<(Expression Key, Expression Value)> Entries) : Expression
{
    public override object? Evaluate(RenderScope scope) =>
        Entries.ToDictionary(e => Values.Str(e.Key.Evaluate(scope)), e => e.Value.Evaluate(scope));
}

using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary>
/// <c>x.name</c>: a dict's key (messages are dicts: <c>message.role</c>), else a method of a string
/// or dict (<c>content.strip</c>), else undefined.
/// </summary>
public sealed record AttributeAccess(Expression Target, string Name) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var target = Target.Evaluate(scope);
        if (target is IDictionary<string, object?> dict && dict.TryGetValue(Name, out var value)) return value;
        return Builtins.Method(target, Name) ?? (object)Undefined.Instance;
    }
}

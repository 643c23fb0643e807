using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>x[i]</c>: a dict's key or a list's or string's element (negative counts from the end).</summary>
public sealed record IndexAccess(Expression Target, Expression Index) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var target = Target.Evaluate(scope);
        var index = Index.Evaluate(scope);
        switch (target)
        {
            case IDictionary<string, object?> dict:
                return index is string key && dict.TryGetValue(key, out var value) ? value : Undefined.Instance;
            case IList<object?> list when index is long i:
                long at = i < 0 ? list.Count + i : i;
                return at >= 0 && at < list.Count ? list[(int)at] : Undefined.Instance;
            case string s when index is long j:
                long k = j < 0 ? s.Length + j : j;
                return k >= 0 && k < s.Length ? s[(int)k].ToString() : Undefined.Instance;
            case Undefined:
                return Undefined.Instance;
            default:
                throw new TemplateException($"cannot index {Values.TypeName(target)} with {Values.TypeName(index)}");
        }
    }
}

using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;

/// <summary><c>x[start:stop:step]</c> of a list or string, with Python's clamping and negative indices.</summary>
public sealed record SliceAccess(Expression Target, Expression? Start, Expression? Stop, Expression? Step) : Expression
{
    public override object? Evaluate(RenderScope scope)
    {
        var target = Target.Evaluate(scope);
        var items = target switch
        {
            IList<object?> list => list,
            string s => s.Select(c => (object?)c.ToString()).ToList(),
            _ => throw new TemplateException($"cannot slice {Values.TypeName(target)}"),
        };
        long step = Step?.Evaluate(scope) is long st ? st : 1;
        if (step == 0) throw new TemplateException("slice step must not be zero");
        int n = items.Count;
        long start = Bound(Start, step > 0 ? 0 : n - 1), stop = Bound(Stop, step > 0 ? n : -1);
        var result = new List<object?>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) result.Add(items[(int)i]);
        return target is string ? string.Concat(result.Select(Values.Str)) : result;

        long Bound(Expression? e, long fallback)
        {
            if (e?.Evaluate(scope) is not long v) return fallback;
            if (v < 0) v += n;
            return step > 0 ? Math.Clamp(v, 0, n) : Math.Clamp(v, -1, n - 1);
        }
    }
}

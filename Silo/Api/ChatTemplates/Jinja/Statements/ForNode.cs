using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Statements;

/// <summary>
/// <c>{% for x in items [if filter] %}...{% else %}...{% endfor %}</c>, with the <c>loop</c>
/// variable (index, index0, first, last, length, revindex, revindex0, previtem, nextitem).
/// Targets may unpack pairs: <c>for key, value in d.items()</c>.
/// </summary>
public sealed record ForNode(IReadOnlyList<string> Targets, Expression Items, Expression? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node> Else) : Node
{
    public override void Render(RenderScope scope, StringBuilder output)
    {
        var items = Values.Iterate(Items.Evaluate(scope)).ToList();
        if (Filter is not null) items = items.Where(item => Matches(scope, item)).ToList();
        if (items.Count == 0)
        {
            RenderAll(Else, scope, output);
            return;
        }
        for (int i = 0; i < items.Count; i++)
        {
            scope.Budget.Iterate();
            scope.Push();
            try
            {
                Bind(scope, items[i]);
                scope.Set("loop", new Dictionary<string, object?>
                {
                    ["index"] = (long)i + 1,
                    ["index0"] = (long)i,
                    ["first"] = i == 0,
                    ["last"] = i == items.Count - 1,
                    ["length"] = (long)items.Count,
                    ["revindex"] = (long)(items.Count - i),
                    ["revindex0"] = (long)(items.Count - i - 1),
                    ["previtem"] = i > 0 ? items[i - 1] : Undefined.Instance,
                    ["nextitem"] = i + 1 < items.Count ? items[i + 1] : Undefined.Instance,
                });
                RenderAll(Body, scope, output);
            }
            finally
            {
                scope.Pop();
            }
        }
    }

    private bool Matches(RenderScope scope, object? item)
    {
        scope.Push();
        try
        {
            Bind(scope, item);
            return Values.Truthy(Filter!.Evaluate(scope));
        }
        finally
        {
            scope.Pop();
        }
    }

    private void Bind(RenderScope scope, object? item)
    {
        if (Targets.Count == 1)
        {
            scope.Set(Targets[0], item);
            return;
        }
        var parts = Values.Iterate(item).ToList();
        if (parts.Count != Targets.Count) throw new TemplateException($"cannot unpack {parts.Count} values into {Targets.Count} loop variables");
        for (int t = 0; t < Targets.Count; t++) scope.Set(Targets[t], parts[t]);
    }
}

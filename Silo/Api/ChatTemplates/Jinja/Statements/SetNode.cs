using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Statements;

/// <summary><c>{% set name = value %}</c>, or <c>{% set ns.name = value %}</c> into a namespace.</summary>
public sealed record SetNode(string Name, string? Attribute, Expression Value) : Node
{
    public override void Render(RenderScope scope, StringBuilder output)
    {
        var value = Value.Evaluate(scope);
        if (Attribute is null)
        {
            scope.Set(Name, value);
            return;
        }
        if (scope.Get(Name) is not JinjaNamespace ns) throw new TemplateException($"'{Name}' is not a namespace(); only namespaces take attribute assignment");
        ns[Attribute] = value;
    }
}

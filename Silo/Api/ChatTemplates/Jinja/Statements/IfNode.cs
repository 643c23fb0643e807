using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Statements;

/// <summary><c>{% if %}</c> with its <c>elif</c> branches and <c>else</c>.</summary>
public sealed record IfNode(IReadOnlyList<(Expression Condition, IReadOnlyList<Node> Body)> Branches, IReadOnlyList<Node> Else) : Node
{
    public override void Render(RenderScope scope, StringBuilder output)
    {
        foreach (var (condition, body) in Branches)
        {
            if (!Values.Truthy(condition.Evaluate(scope))) continue;
            RenderAll(body, scope, output);
            return;
        }
        RenderAll(Else, scope, output);
    }
}

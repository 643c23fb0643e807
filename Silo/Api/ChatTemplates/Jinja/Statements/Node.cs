using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Statements;

/// <summary>A piece of a compiled template that writes output.</summary>
public abstract record Node
{
    public abstract void Render(RenderScope scope, StringBuilder output);

    public static void RenderAll(IReadOnlyList<Node> nodes, RenderScope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            node.Render(scope, output);
            RenderBudget.CheckOutput(output);
        }
    }
}

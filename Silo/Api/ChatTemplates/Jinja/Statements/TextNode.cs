using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Statements;

/// <summary>Literal template text.</summary>
public sealed record TextNode(string Text) : Node
{
    public override void Render(RenderScope scope, StringBuilder output) => output.Append(Text);
}

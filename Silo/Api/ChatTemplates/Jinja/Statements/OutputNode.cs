using System.Text;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Statements;

/// <summary><c>{{ expression }}</c>.</summary>
public sealed record OutputNode(Expression Value) : Node
{
    public override void Render(RenderScope scope, StringBuilder output) => output.Append(Values.Str(Value.Evaluate(scope)));
}

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>
/// Jinja's <c>namespace()</c>: the one object <c>{% set ns.x = ... %}</c> may write into, which is
/// how templates carry a value out of a loop (plain <c>set</c> inside a loop stays in the loop).
/// </summary>
public sealed class JinjaNamespace : Dictionary<string, object?>
{
    public JinjaNamespace(IReadOnlyDictionary<string, object?> initial) : base(initial.ToDictionary())
    {
    }
}

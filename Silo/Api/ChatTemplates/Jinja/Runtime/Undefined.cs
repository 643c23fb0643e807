namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>A missing name, attribute or key: renders as nothing and is false, as in Jinja's default.</summary>
public sealed class Undefined
{
    public static Undefined Instance { get; } = new();

    private Undefined()
    {
    }

    public override string ToString() => "";
}

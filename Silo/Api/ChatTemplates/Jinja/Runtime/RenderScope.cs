namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>Variables of one render: the globals, and one frame per enclosing loop iteration.</summary>
public sealed class RenderScope
{
    private readonly List<Dictionary<string, object?>> _frames;

    public RenderScope(IReadOnlyDictionary<string, object?> globals) => _frames = [globals.ToDictionary()];

    /// <summary>What this render may still spend on loops and output.</summary>
    public RenderBudget Budget { get; } = new();

    public object? Get(string name)
    {
        for (int i = _frames.Count - 1; i >= 0; i--)
            if (_frames[i].TryGetValue(name, out var value)) return value;
        return Undefined.Instance;
    }

    /// <summary>Jinja's <c>set</c>: into the innermost frame, so a loop's assignments do not leak out of it.</summary>
    public void Set(string name, object? value) => _frames[^1][name] = value;

    public void Push() => _frames.Add([]);

    public void Pop() => _frames.RemoveAt(_frames.Count - 1);
}

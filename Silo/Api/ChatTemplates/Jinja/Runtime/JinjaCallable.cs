namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>A function a template can call: positional arguments and keyword arguments.</summary>
public delegate object? JinjaCallable(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs);

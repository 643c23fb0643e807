namespace Cluster.Silo.Api.ChatTemplates;

/// <summary>
/// A chat template this interpreter cannot compile (a construct outside its Jinja subset, a syntax
/// error) or a render the template itself refused (<c>raise_exception</c>, a bad value).
/// </summary>
public sealed class TemplateException(string message) : Exception(message);

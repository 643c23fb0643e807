namespace Cluster.Engine.Formats;

/// <summary>
/// A model or tokenizer file that cannot be used: names the file and the reason, so a bad
/// download or a wrong path fails at load instead of producing wrong tokens later.
/// </summary>
public sealed class ModelFormatException : Exception
{
    public ModelFormatException(string file, string reason, Exception? inner = null)
        : base($"{file}: {reason}", inner)
    {
        File = file;
        Reason = reason;
    }

    public string File { get; }

    public string Reason { get; }
}

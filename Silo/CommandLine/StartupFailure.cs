using Cluster.Engine.Formats;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.CommandLine;

/// <summary>
/// What a failed start says: one line with the reason (a model file and what is wrong with it, an
/// option and why it is refused), not the stack trace of the hosting code it passed through.
/// Exceptions that only wrap the real cause (lifecycle, aggregate, invocation) are unwrapped.
/// </summary>
public static class StartupFailure
{
    public const int ExitCode = 1;

    public static string Describe(Exception failure)
    {
        var cause = Cause(failure);
        var message = cause switch
        {
            OptionsValidationException invalid => string.Join("; ", invalid.Failures.Select(NamedBySwitch)),
            ModelFormatException or FileNotFoundException or DirectoryNotFoundException => cause.Message,
            // Configuration binding: "Failed to convert configuration value 'x' at 'Cluster:PageSize' to type 'System.Int32'."
            InvalidOperationException when cause.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => cause.Message,
            ArgumentException => cause.Message,
            _ => $"{cause.GetType().Name}: {cause.Message}",
        };
        return "error: the silo cannot start: " + OneLine(message);
    }

    /// <summary>"PageSize must be positive" becomes "--page-size (Cluster:PageSize) must be positive": the user typed the switch.</summary>
    private static string NamedBySwitch(string failure)
    {
        int end = failure.IndexOf(' ', StringComparison.Ordinal);
        if (end <= 0) return failure;
        var name = failure[..end].TrimEnd(':');
        var option = SiloOptionTable.ForKey(name) ?? SiloOptionTable.ForKey($"{Grains.Hosting.ClusterSiloOptions.Section}:{name}");
        return option is null ? failure : $"{option.Switch} ({option.Key}){failure[(end - (failure[end - 1] == ':' ? 1 : 0))..]}";
    }

    private static Exception Cause(Exception failure)
    {
        var e = failure;
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException or TypeInitializationException
               || (e.InnerException is not null && e.GetType().Name.Contains("Lifecycle", StringComparison.Ordinal)))
        {
            e = e.InnerException!;
        }
        return e;
    }

    private static string OneLine(string message) =>
        string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

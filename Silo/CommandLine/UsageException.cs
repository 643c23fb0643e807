namespace Cluster.Silo.CommandLine;

/// <summary>A command line the silo cannot take (an unknown option, a missing or mistyped value): exit code 2, as argparse and System.CommandLine use.</summary>
public sealed class UsageException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}

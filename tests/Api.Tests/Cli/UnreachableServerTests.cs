using System.Net;
using System.Net.Sockets;

namespace Cluster.Api.Tests.Cli;

/// <summary>The server commands pointed at an address where nothing listens, and switches given in the wrong mode.</summary>
public sealed class UnreachableServerTests
{
    private static readonly string Nowhere = $"http://127.0.0.1:{ClosedPort()}";

    [Fact]
    public async Task Status_WhenNothingListens_SaysItCannotReachAndExitsWithOne()
    {
        var run = await CliRun.InvokeAsync(["status", "--url", Nowhere]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: cannot reach {Nowhere}/", run.Error);
    }

    [Fact]
    public async Task StatusWithWait_WhenNeverReady_GivesUpAfterTheTimeoutWithOne()
    {
        var run = await CliRun.InvokeAsync(["status", "--url", Nowhere, "--wait", "--timeout", "1"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("waiting for /ready", run.Error);
        Assert.Contains("error: not ready after", run.Error);
    }

    [Fact]
    public async Task Generate_WhenStopGivenWithoutUrl_RefusesBeforeLoadingAnything()
    {
        var run = await CliRun.InvokeAsync(["generate", "--stop", "x"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--stop needs --url", run.Error);
    }

    [Fact]
    public async Task Chat_WhenUrlIsNotHttp_RefusesTheSwitch()
    {
        var run = await CliRun.InvokeAsync(["chat", "--url", "ftp://example"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("is not a server address", run.Error);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

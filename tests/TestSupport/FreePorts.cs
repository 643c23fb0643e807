using System.Net;
using System.Net.Sockets;

namespace Cluster.TestSupport;

/// <summary>Loopback ports nobody listens on, so silos and test servers started side by side cannot collide.</summary>
public static class FreePorts
{
    /// <summary>A port the OS just handed out and took back: free until someone else asks for one.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>HTTP clients whose connections leave from a chosen loopback address (127.x.y.z), so the server sees different viewers.</summary>
public static class SourceAddress
{
    public static SocketsHttpHandler Handler(string source) => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}

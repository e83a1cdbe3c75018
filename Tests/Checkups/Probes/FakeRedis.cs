using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

/// <summary>A scripted RESP server: reads each command array and answers with raw reply text.</summary>
internal static class FakeRedis
{
    /// <param name="reply">Maps a command (e.g. ["INFO", "replication"]) to the raw RESP reply to send.</param>
    public static ScriptedPeer Start(Func<string[], string> reply) =>
        ScriptedPeer.Start(async (socket, ct) =>
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await ReadCommandAsync(reader, ct) is { } command)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(reply(command)), SocketFlags.None, ct);
            }
        });

    /// <summary>A bulk string reply.</summary>
    public static string Bulk(string text) => $"${Encoding.UTF8.GetByteCount(text)}\r\n{text}\r\n";

    private static async Task<string[]?> ReadCommandAsync(StreamReader reader, CancellationToken ct)
    {
        var header = await reader.ReadLineAsync(ct);
        if (header is null)
        {
            return null;
        }

        var command = new string[int.Parse(header.AsSpan(1), CultureInfo.InvariantCulture)];
        for (var i = 0; i < command.Length; i++)
        {
            _ = await reader.ReadLineAsync(ct); // $length: arguments here are plain ASCII words
            command[i] = (await reader.ReadLineAsync(ct))!;
        }

        return command;
    }
}

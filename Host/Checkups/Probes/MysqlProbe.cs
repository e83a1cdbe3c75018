using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// checkups' <c>mysql</c> heartbeat, reduced to reading the server's greeting.
/// </summary>
/// <remarks>
/// checkups logged in with <c>user</c>/<c>pass</c>. This probe does not authenticate: a protocol-10
/// greeting already proves the server accepts connections and speaks MySQL (an overloaded or blocking
/// server sends an error packet instead), while logging in would make the gateway store and manage
/// database credentials and pull in the authentication plugins. The cost: MySQL counts a connection
/// dropped during the handshake as a connect error of the client host (<c>max_connect_errors</c>),
/// the same as checkups' <c>general</c> TCP check against a MySQL port.
/// </remarks>
internal sealed class MysqlProbe : IHealthProbe
{
    /// <summary>Extra field: the server version from the greeting.</summary>
    public const string VersionField = "mysql_version";

    public string Type => ProbeTypes.Mysql;

    public Task<ProbeResult> ProbeAsync(string host, int port, ProbeSettings settings, CancellationToken ct) =>
        ProbeConnection.RunAsync(host, port, settings, ExchangeAsync, ct);

    private static async Task<ProbeResult> ExchangeAsync(Stream stream, CancellationToken ct)
    {
        var reader = new ProbeReader(stream);
        try
        {
            var header = await reader.ReadExactAsync(MysqlHandshake.HeaderLength, ct);
            var length = MysqlHandshake.PayloadLength(header.Span);
            return length < 0
                ? ProbeResult.Err(MysqlHandshake.InvalidMessage)
                : MysqlHandshake.Judge((await reader.ReadExactAsync(length, ct)).Span);
        }
        catch (ProbeFailureException) when (reader.ReceivedAny)
        {
            // A greeting cut short is a broken handshake. A server that closes before sending anything
            // falls through as "connection closed", which says more.
            return ProbeResult.Err(MysqlHandshake.InvalidMessage);
        }
    }
}

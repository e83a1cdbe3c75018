using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// checkups' <c>http</c> heartbeat: connect, and when <see cref="ProbeSettings.HttpQuery"/> is set,
/// send it and judge the status line. Raw sockets rather than HttpClient, as checkups did: the
/// configured query is sent exactly as written (no added headers, no pooled connections), and only
/// the status line is read, however large or slow the rest of the response is.
/// </summary>
internal sealed partial class HttpProbe : IHealthProbe
{
    public const string InvalidStatusLineMessage = "invalid status line";

    // Real status lines are short; a longer "line" is not HTTP.
    private const int MaxStatusLineLength = 4096;

    public string Type => ProbeTypes.Http;

    public Task<ProbeResult> ProbeAsync(string host, int port, ProbeSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.HttpQuery is not { } query)
        {
            // Without a query checkups only connected.
            return ProbeConnection.RunAsync(host, port, settings, static (_, _) => Task.FromResult(ProbeResult.Ok()), ct, connectOnly: true);
        }

        var request = HttpQueryText.Encode(query);
        return ProbeConnection.RunAsync(host, port, settings, (stream, deadline) => ExchangeAsync(stream, request, settings.HttpFailureStatuses, deadline), ct);
    }

    private static async Task<ProbeResult> ExchangeAsync(Stream stream, byte[] request, IReadOnlySet<int> failureStatuses, CancellationToken ct)
    {
        await stream.WriteAsync(request, ct);
        var line = await new ProbeReader(stream).ReadLineAsync(MaxStatusLineLength, InvalidStatusLineMessage, ct);
        if (!TryParseStatus(line.Span, out var status))
        {
            return ProbeResult.Err(InvalidStatusLineMessage);
        }

        return failureStatuses.Contains(status)
            ? ProbeResult.Err(string.Create(CultureInfo.InvariantCulture, $"status {status}"))
            : ProbeResult.Ok();
    }

    /// <summary>Reads the code from a status line, with checkups' pattern <c>^HTTP/\d+\.\d+\s+(\d+)</c>.</summary>
    internal static bool TryParseStatus(ReadOnlySpan<byte> line, out int status)
    {
        status = 0;

        // Latin-1 maps every byte to one char, so garbage cannot fail the decoding itself.
        var match = StatusLine().Match(Encoding.Latin1.GetString(line));
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out status);
    }

    // [0-9] and explicit blanks rather than \d and \s, which would also accept non-ASCII digits and spaces.
    [GeneratedRegex(@"^HTTP/[0-9]+\.[0-9]+[ \t]+([0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex StatusLine();
}

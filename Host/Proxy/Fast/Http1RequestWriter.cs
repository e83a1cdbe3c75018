using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Writes a request head for a peer straight from the incoming request (no HttpRequestMessage):
/// method, target and the client's fields, minus hop-by-hop ones and those the client's Connection
/// names, with Host kept and the X-Forwarded pair set (<see cref="ForwardingHeaderRules"/>), and the
/// body framing this path sends (its own Content-Length or chunked).
/// </summary>
internal static class Http1RequestWriter
{
    private static readonly SearchValues<char> Forbidden = SearchValues.Create("\r\n\0");

    /// <param name="contentLength">The body's length; -1 without one (no body, or <paramref name="chunked"/>).</param>
    /// <param name="fallbackHost">Host for a request without one (HTTP/1.0): the peer's address.</param>
    public static void WriteHead(IBufferWriter<byte> writer, HttpRequest request, string? clientIp, string fallbackHost, long contentLength, bool chunked)
    {
        WriteText(writer, request.Method);
        writer.Write(" "u8);
        WriteTarget(writer, request);
        writer.Write(" HTTP/1.1\r\nHost: "u8);
        var host = request.Host.Value;
        WriteValue(writer, "Host", string.IsNullOrEmpty(host) ? fallbackHost : host);
        writer.Write("\r\n"u8);

        var headers = request.Headers;
        var connection = ConnectionHeaderCapture.Effective(headers.Connection);
        foreach (var field in headers)
        {
            var name = field.Key;
            if (name.Length == 0 || name[0] == ':' || ForwardingHeaderRules.IsHopByHop(name) || ForwardingHeaderRules.IsSetByForwarder(name)
                || IsFraming(name) || ForwardingHeaderRules.IsNamedIn(connection, name))
            {
                continue;
            }

            var values = field.Value;
            if (values.Count > 1 && name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 6265 §5.4: one Cookie line on HTTP/1.1.
                WriteName(writer, name);
                for (var i = 0; i < values.Count; i++)
                {
                    if (i > 0)
                    {
                        writer.Write("; "u8);
                    }

                    WriteValue(writer, name, values[i]);
                }

                writer.Write("\r\n"u8);
                continue;
            }

            for (var i = 0; i < values.Count; i++)
            {
                WriteName(writer, name);
                WriteValue(writer, name, values[i]);
                writer.Write("\r\n"u8);
            }
        }

        var forwardedFor = headers[ForwardingHeaderRules.ForwardedForHeader];
        if (forwardedFor.Count > 0 || clientIp is not null)
        {
            WriteName(writer, ForwardingHeaderRules.ForwardedForHeader);
            var first = true;
            for (var i = 0; i < forwardedFor.Count; i++)
            {
                if (string.IsNullOrEmpty(forwardedFor[i]))
                {
                    continue;
                }

                if (!first)
                {
                    writer.Write(","u8);
                }

                WriteValue(writer, ForwardingHeaderRules.ForwardedForHeader, forwardedFor[i]);
                first = false;
            }

            if (clientIp is not null)
            {
                if (!first)
                {
                    WriteText(writer, ForwardingHeaderRules.ForwardedForSeparator);
                }

                WriteText(writer, clientIp);
            }

            writer.Write("\r\n"u8);
        }

        // The scheme the client used at this gateway; a client's own value is replaced.
        WriteName(writer, ForwardingHeaderRules.ForwardedProtoHeader);
        WriteText(writer, request.Scheme);
        writer.Write("\r\n"u8);

        if (chunked)
        {
            writer.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (contentLength >= 0)
        {
            writer.Write("Content-Length: "u8);
            var span = writer.GetSpan(20);
            contentLength.TryFormat(span, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
            writer.Advance(written);
            writer.Write("\r\n"u8);
        }

        writer.Write("\r\n"u8);
    }

    // Framing is this path's own; Expect is answered by Kestrel as the body is read, and the body goes out at once.
    private static bool IsFraming(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Expect", StringComparison.OrdinalIgnoreCase);

    private static void WriteTarget(IBufferWriter<byte> writer, HttpRequest request)
    {
        var pathBase = request.PathBase;
        var path = request.Path;
        if (!pathBase.HasValue && !path.HasValue)
        {
            var raw = HttpMethods.IsOptions(request.Method) ? request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget : null;
            WriteText(writer, raw == "*" ? "*" : "/");
        }
        else
        {
            if (pathBase.HasValue)
            {
                WriteText(writer, pathBase.ToUriComponent());
            }

            if (path.HasValue)
            {
                WriteText(writer, path.ToUriComponent());
            }
        }

        if (request.QueryString.Value is { Length: > 0 } query)
        {
            WriteValue(writer, "query", query);
        }
    }

    private static void WriteName(IBufferWriter<byte> writer, string name)
    {
        WriteText(writer, name);
        writer.Write(": "u8);
    }

    /// <summary>A script or a client cannot smuggle a second header or request through a value.</summary>
    private static void WriteValue(IBufferWriter<byte> writer, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().ContainsAny(Forbidden))
        {
            throw new InvalidOperationException($"The request's {name} contains CR, LF or NUL and cannot be forwarded.");
        }

        WriteText(writer, value);
    }

    private static void WriteText(IBufferWriter<byte> writer, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var span = writer.GetSpan(text.Length);
        if (Ascii.FromUtf16(text, span, out var written) == OperationStatus.Done)
        {
            writer.Advance(written);
            return;
        }

        Encoding.UTF8.GetBytes(text, writer);
    }
}

using System.Net;
using System.Net.Http.Headers;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Proxy;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// Sends one content call (lua-resty-httpipe's request) through the gateway's one upstream client:
/// pooled keep-alive connections, the upstream's connect timeout and TLS, <c>Proxy:SendTimeout</c> and
/// <c>Proxy:ReadTimeout</c>. Answers once the response headers are in; the body streams on demand and
/// is kept while a later call sends it on. Transport failures come back as
/// <see cref="UpstreamUnavailableException"/> (with whether anything was sent and whether it timed out).
/// </summary>
internal sealed class UpstreamSender
{
    private readonly HttpMessageInvoker _client;
    private readonly BodyRecorder _bodies;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeSpan _readTimeout;

    public UpstreamSender(HttpMessageInvoker client, BodyRecorder bodies, ProxyOptions options)
    {
        _client = client;
        _bodies = bodies;
        _sendTimeout = options.SendTimeout;
        _readTimeout = options.ReadTimeout;
    }

    public async Task<UpstreamResponse> SendAsync(SendTarget target, UpstreamRequest request, ScriptIoWaits waits, CancellationToken requestAborted)
    {
        using var watch = new ContentSendWatch(_sendTimeout, _readTimeout, waits.Token);
        var message = CreateMessage(target, request, watch);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, watch.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (FindConnectFailure(ex) is { } connect)
        {
            message.Dispose();
            throw new UpstreamUnavailableException(connect.Message, target.Upstream, connect.TimedOut, ex) { NothingSent = true };
        }
        catch (HttpRequestException ex)
        {
            message.Dispose();
            throw new UpstreamUnavailableException($"{Describe(target)}: {ex.GetBaseException().Message}", target.Upstream, timedOut: false, ex);
        }
        catch (OperationCanceledException ex) when (watch.Token.IsCancellationRequested && !waits.Token.IsCancellationRequested)
        {
            message.Dispose();
            var what = watch.WasSending ? "a write of the request body stalled" : "no response headers came";
            throw new UpstreamUnavailableException(
                $"{Describe(target)}: {what} for {watch.Timeout.TotalSeconds:0.###} s ({(watch.WasSending ? "Proxy:SendTimeout" : "Proxy:ReadTimeout")})",
                target.Upstream,
                timedOut: true,
                ex);
        }

        watch.Stop();
        return await CreateResponseAsync(target, message, response, waits, requestAborted).ConfigureAwait(false);
    }

    private static string Describe(SendTarget target) => target.Upstream is { } upstream
        ? $"upstream {upstream} peer {target.Host}:{target.Port}"
        : $"{(target.Https ? "https" : "http")}://{target.Host}:{target.Port}";

    private static UpstreamConnectException? FindConnectFailure(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is UpstreamConnectException connect)
            {
                return connect;
            }
        }

        return null;
    }

    private static HttpRequestMessage CreateMessage(SendTarget target, UpstreamRequest request, ContentSendWatch watch)
    {
        // The handler speaks TLS itself for an upstream's peers (UpstreamHttpClientFactory): the URI stays http://.
        var scheme = target.Https && target.Tls is null ? "https" : "http";
        var host = target.Host.Contains(':', StringComparison.Ordinal) && target.Host[0] != '[' ? $"[{target.Host}]" : target.Host;
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri($"{scheme}://{host}:{target.Port}{request.PathAndQuery}", UriKind.Absolute))
        {
            Version = target.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = target.Http2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        };
        message.Options.Set(UpstreamHttpClientFactory.ConnectTimeoutOption, target.ConnectTimeout);
        if (target.Tls is { } tls)
        {
            message.Options.Set(UpstreamHttpClientFactory.TlsOption, tls);
        }

        if (request.Body is { } body)
        {
            var stream = body.OpenRead(keepCopy: true);
            if (stream is RecordedBodyReader reader)
            {
                reader.Observer = watch;
            }

            var content = new StreamContent(stream, 16 * 1024);
            content.Headers.ContentLength = body.Length;
            if (body.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            {
                content.Headers.ContentType = parsed;
            }

            message.Content = content;
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!UpstreamHeaders.IsEndToEnd(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.Remove(name);
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.Host = request.Headers["Host"] ?? target.DefaultHostHeader;
        return message;
    }

    private async Task<UpstreamResponse> CreateResponseAsync(SendTarget target, HttpRequestMessage message, HttpResponseMessage response, ScriptIoWaits waits, CancellationToken requestAborted)
    {
        var status = (int)response.StatusCode;
        var headers = new UpstreamHeaders();
        var dropped = response.Headers.Connection;
        Copy(response.Headers, headers, dropped);
        Copy(response.Content.Headers, headers, dropped);

        var noBody = message.Method == HttpMethod.Head || status is 204 or 304 || (status >= 100 && status < 200);
        var stream = noBody ? Stream.Null : await response.Content.ReadAsStreamAsync(requestAborted).ConfigureAwait(false);
        var recorded = _bodies.Record(new TimeoutReadStream(stream, _readTimeout, requestAborted), noBody ? 0 : response.Content.Headers.ContentLength);
        var owner = new ResponseOwner(message, response, recorded);
        return new UpstreamResponse(status, headers, new RecordedHttpBody(recorded, waits, response.Content.Headers.ContentType?.ToString()), target.Peer, owner);
    }

    private static void Copy(HttpHeaders from, UpstreamHeaders to, HttpHeaderValueCollection<string> connection)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (!UpstreamHeaders.IsEndToEnd(name) || connection.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                try
                {
                    to.Add(name, value);
                }
                catch (ArgumentException)
                {
                    // A header the peer sent that could split a message is not passed on.
                }
            }
        }
    }

    /// <summary>What an <see cref="UpstreamResponse"/> frees: the exchange and the kept body.</summary>
    private sealed class ResponseOwner(HttpRequestMessage message, HttpResponseMessage response, RecordedBody body) : IDisposable
    {
        public void Dispose()
        {
            response.Dispose();
            message.Dispose();
            body.Dispose();
        }
    }
}

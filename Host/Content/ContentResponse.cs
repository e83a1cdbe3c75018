using System.Text;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// <c>Response</c> as a content script sees it: the client's response, written through the request's
/// waits (the script's time budget stands still while the client takes the bytes).
/// </summary>
internal sealed class ContentResponse : IScriptResponse
{
    private readonly ContentSession _session;
    private HttpScriptHeaders? _headers;

    public ContentResponse(ContentSession session)
    {
        _session = session;
    }

    /// <summary>The script set something or wrote: the response is its own.</summary>
    public bool Used { get; private set; }

    public int Status
    {
        get => _session.Context.Response.StatusCode;
        set
        {
            if (value is < 200 or > 599)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "A status must be in 200-599.");
            }

            ThrowIfStarted();
            Used = true;
            _session.Context.Response.StatusCode = value;
        }
    }

    public IScriptHeaders Headers
    {
        get
        {
            Used = true;
            return _headers ??= new HttpScriptHeaders(_session.Context.Response.Headers);
        }
    }

    public bool HasStarted => _session.Context.Response.HasStarted;

    public Task WriteAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    public Task WriteAsync(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Used = true;
        var response = _session.Context.Response;
        return _session.Waits.RunAsync(async token =>
        {
            await response.Body.WriteAsync(bytes, token).ConfigureAwait(false);
            return true;
        });
    }

    public Task WriteAsync(HttpBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Used = true;
        return _session.Waits.RunAsync(async token =>
        {
            await ContentRelay.CopyAsync(body, _session.Context.Response.Body, token).ConfigureAwait(false);
            return true;
        });
    }

    private void ThrowIfStarted()
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has started (something was written): its status and headers cannot change.");
        }
    }
}

using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Content;

/// <summary>What content scripts' calls go through, one per gateway: the upstreams, the try engine (and its <c>ready_ok</c>), the sender.</summary>
internal sealed class ContentServices
{
    public ContentServices(UpstreamRegistry upstreams, TryEngine engine, ReadyOk readyOk, UpstreamSender sender, TimeProvider time)
    {
        Upstreams = upstreams;
        Engine = engine;
        ReadyOk = readyOk;
        Sender = sender;
        Time = time;
        Transport = new ContentSendTransport(sender, time);
    }

    public UpstreamRegistry Upstreams { get; }

    public TryEngine Engine { get; }

    public ReadyOk ReadyOk { get; }

    public UpstreamSender Sender { get; }

    public ContentSendTransport Transport { get; }

    public TimeProvider Time { get; }

    public ContentSession CreateSession(HttpContext context, HttpScriptRequest request, bool trusted) => new(this, context, request, trusted);
}

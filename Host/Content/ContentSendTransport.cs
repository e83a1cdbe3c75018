using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// The try engine's transport for a content script's single calls: one try is one request through
/// the <see cref="UpstreamSender"/>; a status that is a retry condition is recorded against the peer
/// and still handed to the script, as the proxy hands on a last try's answer.
/// </summary>
internal sealed class ContentSendTransport : ITryTransport<ContentSend>, IPeerChooser<ContentSend>
{
    private readonly UpstreamSender _sender;
    private readonly TimeProvider _time;

    public ContentSendTransport(UpstreamSender sender, TimeProvider time)
    {
        _sender = sender;
        _time = time;
    }

    public async ValueTask<TryResult> SendAsync(UpstreamCall call, ContentSend send, PeerState peer)
    {
        var session = send.Session;
        try
        {
            var response = session.Track(await _sender.SendAsync(session.TargetOf(call.Upstream, peer), send.Request, session.Waits, session.Context.RequestAborted).ConfigureAwait(false));
            send.Response = response;
            var status = response.Status;
            call.ReportFailedStatusEarly(status);
            return new TryResult(call.IsFailureStatus(status) ? TryFailure.Status : TryFailure.None, status, status, _time.GetTimestamp());
        }
        catch (UpstreamUnavailableException failure)
        {
            send.Failure = failure;
            var kind = TryRules.FailureOf(failure);
            return new TryResult(kind, Status: TryRules.GatewayStatusOf(kind), Reason: failure.Message);
        }
    }

    /// <summary>The peer the script named: its in-flight slot is taken here and answered by the engine like a selection.</summary>
    public ValueTask<PeerChoice> ChooseAsync(UpstreamCall call, ContentSend send)
    {
        var peer = send.Pinned!;
        call.Upstream.Acquire(peer);
        return ValueTask.FromResult(new PeerChoice(PeerChoiceKind.Peer, peer));
    }
}

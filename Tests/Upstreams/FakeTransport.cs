using Microsoft.Extensions.Time.Testing;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Tests.Upstreams;

/// <summary>
/// A transport that answers each try from a script: per peer host, the next result in its queue (or
/// the fallback), after advancing the fake clock by the try's duration. Records the hosts tried.
/// </summary>
internal sealed class FakeTransport : ITryTransport<object?>
{
    private readonly FakeTimeProvider _time;
    private readonly Dictionary<string, Queue<Func<UpstreamCall, TryResult>>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public FakeTransport(FakeTimeProvider time)
    {
        _time = time;
    }

    public List<string> Tried { get; } = [];

    /// <summary>How long every try takes on the fake clock.</summary>
    public TimeSpan TryDuration { get; set; } = TimeSpan.FromMilliseconds(10);

    public TryResult Fallback { get; set; } = Ok();

    public static TryResult Ok(int status = 200) => new(TryFailure.None, status, status);

    public static TryResult Failed(TryFailure failure, int gatewayStatus = 502) => new(failure, 0, gatewayStatus, Reason: failure.ToString());

    /// <summary>A failed status the way a transport reports it: a held-back answer when the call holds it back.</summary>
    public static Func<UpstreamCall, TryResult> Status(int status) => call =>
    {
        call.ShouldHoldBack(status);
        if (!call.HeldBack)
        {
            call.ReportFailedStatusEarly(status);
        }

        return new TryResult(call.IsFailureStatus(status) ? TryFailure.Status : TryFailure.None, status, status);
    };

    public FakeTransport On(string host, params TryResult[] results)
    {
        foreach (var result in results)
        {
            On(host, _ => result);
        }

        return this;
    }

    public FakeTransport On(string host, Func<UpstreamCall, TryResult> answer)
    {
        if (!_answers.TryGetValue(host, out var queue))
        {
            _answers[host] = queue = new Queue<Func<UpstreamCall, TryResult>>();
        }

        queue.Enqueue(answer);
        return this;
    }

    public ValueTask<TryResult> SendAsync(UpstreamCall call, object? state, PeerState peer)
    {
        Tried.Add(peer.Host);
        _time.Advance(TryDuration);
        var answer = _answers.TryGetValue(peer.Host, out var queue) && queue.Count > 0 ? queue.Dequeue()(call) : Fallback;
        return ValueTask.FromResult(answer);
    }
}

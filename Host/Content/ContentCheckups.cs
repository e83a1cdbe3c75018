using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// <c>Checkups.ReadyOkAsync</c> for content scripts: the gateway's <see cref="ReadyOk"/> (a caller of
/// the try engine) with responses judged by the upstream's next_upstream statuses. The script's
/// attempt runs on the script threads, as all script code does; each peer it is handed stands for
/// that try in <c>Http.SendAsync</c>.
/// </summary>
internal sealed class ContentCheckups : IContentCheckups
{
    private static readonly Func<UpstreamResponse, int> s_statusOf = static r => r.Status;

    private readonly ContentSession _session;

    public ContentCheckups(ContentSession session)
    {
        _session = session;
    }

    public async Task<UpstreamResponse> ReadyOkAsync(string upstream, Func<Peer, Task<UpstreamResponse>> attempt, string? hashKey = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(attempt);
        var services = _session.Services;
        if (!services.Upstreams.TryGet(upstream, out var state))
        {
            throw new UpstreamUnavailableException($"upstream {upstream} not found", upstream, timedOut: false);
        }

        // Captured on the script's thread: every attempt runs where script code runs.
        var scheduler = TaskScheduler.Current;
        var bodies = new ContentAttemptBodies();
        var options = new ReadyOkOptions { HashKey = hashKey, Body = bodies, OnEnd = _session.Record };
        var result = await services.ReadyOk.RunWithStatusAsync(
            upstream,
            (peer, _) => RunAttemptAsync(attempt, peer, new ContentAttempt(state, state.FindPeer(peer.Host, peer.Port)!, bodies), scheduler),
            s_statusOf,
            options,
            _session.Waits.Token).ConfigureAwait(false);
        if (result.Value is { } response)
        {
            return response;
        }

        var last = result.Exception as UpstreamUnavailableException;
        throw new UpstreamUnavailableException(
            result.Exception is { } lastError ? $"upstream {upstream}: {result.Error} (last try: {lastError.Message})" : $"upstream {upstream}: {result.Error}",
            upstream,
            timedOut: result.Status == ReadyOkStatus.TryTimeoutExceeded || last is { TimedOut: true },
            result.Exception);
    }

    private async Task<UpstreamResponse> RunAttemptAsync(Func<Peer, Task<UpstreamResponse>> attempt, Peer peer, ContentAttempt context, TaskScheduler scheduler)
    {
        _session.BeginAttempt(peer, context);
        try
        {
            var response = await Task.Factory.StartNew(() => attempt(peer), CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap().ConfigureAwait(false);
            return response ?? throw new InvalidOperationException("The attempt returned no response (null).");
        }
        finally
        {
            _session.EndAttempt(peer);
        }
    }
}

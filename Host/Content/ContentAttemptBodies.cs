using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>The bodies a <c>ReadyOkAsync</c> call's attempts sent: the call may resend only while each can be read again.</summary>
internal sealed class ContentAttemptBodies : IReplayableBody
{
    private readonly Lock _lock = new();
    private readonly List<HttpBody> _bodies = [];

    public bool CanReplay
    {
        get
        {
            lock (_lock)
            {
                foreach (var body in _bodies)
                {
                    if (!body.CanReplay)
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }

    public void Add(HttpBody body)
    {
        lock (_lock)
        {
            if (!_bodies.Contains(body))
            {
                _bodies.Add(body);
            }
        }
    }

    // Each send opens its own reader from the first byte: nothing to rewind.
    public void Rewind()
    {
    }
}

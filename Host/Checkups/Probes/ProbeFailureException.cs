namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// A peer broke the protocol (closed early, sent garbage). Thrown deep inside a probe's exchange so the
/// code reads straight through, and turned into an Err result by <see cref="ProbeConnection"/>.
/// </summary>
internal sealed class ProbeFailureException : Exception
{
    public ProbeFailureException()
    {
    }

    public ProbeFailureException(string message)
        : base(message)
    {
    }

    public ProbeFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

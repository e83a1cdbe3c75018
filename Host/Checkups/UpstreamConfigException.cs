namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Thrown inside the parser to unwind to its entry point with the first problem found; never
/// escapes it (callers get an <see cref="UpstreamParseResult"/>).
/// </summary>
internal sealed class UpstreamConfigException : Exception
{
    public UpstreamConfigException(string message)
        : base(message)
    {
    }
}

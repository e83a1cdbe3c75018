namespace Slardar.Scriptable.Host.Specs;

/// <summary>Another spec run held the sandbox for longer than a caller waits: try again later (503).</summary>
internal sealed class SpecBusyException : Exception
{
    public SpecBusyException()
        : base("another spec is running; try again later")
    {
    }

    public SpecBusyException(string message)
        : base(message)
    {
    }

    public SpecBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

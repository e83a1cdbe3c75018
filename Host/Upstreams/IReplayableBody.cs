namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>A request body a call may send again to another peer, while it still can.</summary>
internal interface IReplayableBody
{
    /// <summary>False once the body outgrew what is kept for replay: no further try may start.</summary>
    bool CanReplay { get; }

    /// <summary>Starts the body over for the next try.</summary>
    void Rewind();
}

namespace Slardar.Scriptable.Host.Bodies;

/// <summary>Hears a body reader's rhythm: a sender asking for more, bytes handed over, the end (0).</summary>
internal interface IBodyReadObserver
{
    /// <summary>The sender asks for the next bytes: the previous write to the peer is done.</summary>
    void OnAsked();

    /// <summary><paramref name="bytes"/> were handed over (0 = the body ended).</summary>
    void OnRead(int bytes);
}

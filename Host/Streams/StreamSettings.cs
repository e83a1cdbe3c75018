using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>The stream proxy's gateway-wide settings (<c>Streams:*</c>), copied out of configuration once.</summary>
/// <param name="DrainTimeout">How long sessions of a removed listener (or of a stopping gateway) may run on before they are closed.</param>
/// <param name="BufferBytes">Each of the (at most two) pooled buffers of each direction of a session, held while bytes flow.</param>
/// <param name="InlineCompletions">Plain (non-TLS) sessions on the runtime's sockets run their socket continuations on the socket event thread (<see cref="SocketInlineCompletions"/>).</param>
/// <param name="EventLoops">Plain sessions (no TLS to the peer, an address for a peer) connect and relay on the gateway's own event loops (<see cref="Loops.StreamEventLoops"/>) where the platform has them.</param>
internal sealed record StreamSettings(TimeSpan DrainTimeout, int BufferBytes, bool InlineCompletions = true, bool EventLoops = true)
{
    public const string Prefix = "Streams:";

    // 64 KiB buffers: a long stream takes half the receives and sends of 32 KiB ones (nginx's proxy_buffer_size 64k
    // in bench/), and a session holds them only while bytes flow.
    public static StreamSettings Default { get; } = new(TimeSpan.FromSeconds(30), 64 * 1024);

    public static StreamSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Streams");
        return new StreamSettings(
            ConfigurationValues.ReadSeconds(section, Prefix, "DrainTimeoutSeconds", Default.DrainTimeout, 0, minInclusive: true, max: 3600),
            (int)ConfigurationValues.ReadInteger(section, Prefix, "BufferBytes", Default.BufferBytes, 1024, 1024 * 1024),
            ConfigurationValues.ReadBoolean(section, Prefix, "InlineCompletions", Default.InlineCompletions),
            ConfigurationValues.ReadBoolean(section, Prefix, "EventLoops", Default.EventLoops));
    }
}

namespace Slardar.Scriptable.Host.Streams;

/// <summary>How far <see cref="ClientHelloReader"/> got with the bytes it was given.</summary>
internal enum ClientHelloParse
{
    /// <summary>So far a TLS ClientHello, but incomplete: more bytes may tell.</summary>
    NeedMore,

    /// <summary>Not a TLS ClientHello (another protocol, or malformed): there is no SNI.</summary>
    NotClientHello,

    /// <summary>A whole ClientHello was read; the SNI is its server name, or null when it names none.</summary>
    Complete,
}

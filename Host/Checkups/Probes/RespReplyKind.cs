namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>The RESP2 reply types the redis probe can receive (arrays are never asked for).</summary>
internal enum RespReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Null,
}

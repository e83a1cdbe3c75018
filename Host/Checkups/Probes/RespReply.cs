namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>One redis reply: its type and its text (null only for <see cref="RespReplyKind.Null"/>).</summary>
internal readonly record struct RespReply(RespReplyKind Kind, string? Text);

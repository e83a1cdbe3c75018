namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// The client's response, for a content script that makes its own: set <see cref="Status"/> and
/// <see cref="Headers"/>, then write. The first write sends status and headers; after it they cannot
/// change. A script that used it and returns <c>Next</c> (or falls off its end) has answered.
/// </summary>
public interface IScriptResponse
{
    /// <summary>The status (200 until set); settable until the response has started.</summary>
    int Status { get; set; }

    /// <summary>Response headers; settable until the response has started.</summary>
    IScriptHeaders Headers { get; }

    /// <summary>Whether status and headers have gone out.</summary>
    bool HasStarted { get; }

    /// <summary>Writes UTF-8 text to the client (its wait on the client is not charged to the time budget).</summary>
    Task WriteAsync(string text);

    /// <summary>Writes bytes to the client.</summary>
    Task WriteAsync(byte[] bytes);

    /// <summary>Streams a body (an upstream's, say) to the client.</summary>
    Task WriteAsync(HttpBody body);
}

using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// Outcome of a <see cref="ReadyOk"/> call: either a value from the peer that gave it, or an error
/// and never a value with it (checkups could return a stale result together with an error, Q-C4).
/// </summary>
/// <typeparam name="T">The callback's result.</typeparam>
internal sealed class ReadyOkResult<T>
{
    internal ReadyOkResult(ReadyOkStatus status, T? value, Peer? peer, string? error, Exception? exception, int tries)
    {
        Status = status;
        Value = value;
        Peer = peer;
        Error = error;
        Exception = exception;
        Tries = tries;
    }

    public ReadyOkStatus Status { get; }

    public bool IsSuccess => Status == ReadyOkStatus.Success;

    /// <summary>The accepted result; default unless <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The peer that gave <see cref="Value"/>; null unless <see cref="IsSuccess"/>.</summary>
    public Peer? Peer { get; }

    /// <summary>What went wrong, in checkups' words; null on success.</summary>
    public string? Error { get; }

    /// <summary>The last exception a callback (or the success test) threw in this call, if any.</summary>
    public Exception? Exception { get; }

    /// <summary>Callbacks run, successful or not.</summary>
    public int Tries { get; }

    public override string ToString() => IsSuccess ? $"{Status} from {Peer}" : $"{Status}: {Error}";
}

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// A token bucket over one script's log lines (<see cref="ScriptLogOptions"/>), on the injected
/// clock, counting the lines it refuses. One per script, kept across its versions.
/// </summary>
internal sealed class ScriptLogLimiter
{
    private readonly TimeProvider _time;
    private readonly int _rate;
    private readonly int _burst;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;
    private long _droppedUnreported;
    private long _dropped;

    public ScriptLogLimiter(ScriptLogOptions options, TimeProvider time)
    {
        _time = time;
        _rate = options.LinesPerSecond;
        _burst = options.Burst;
        _tokens = _burst;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Lines refused since the script's first line.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Takes a line's token.</summary>
    /// <param name="droppedBefore">Lines refused since the last line that went through, for the caller to say so once.</param>
    public bool TryTake(out long droppedBefore)
    {
        droppedBefore = 0;
        if (_rate == 0)
        {
            return true;
        }

        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _rate));
            _refilledAt = now;
            if (_tokens < 1)
            {
                _droppedUnreported++;
                Interlocked.Increment(ref _dropped);
                return false;
            }

            _tokens--;
            droppedBefore = _droppedUnreported;
            _droppedUnreported = 0;
            return true;
        }
    }
}

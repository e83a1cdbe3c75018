namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// The quarantine of one script version (one <see cref="ActiveScript"/>): its budget overruns in a
/// sliding window of the injected clock. Once quarantined, the version stays out of service until a
/// new version serves (which comes with a new quarantine) or an operator lifts it. Plain exceptions
/// are not counted: a script that throws on bad input must not let clients take its host down by
/// sending bad input; an overrun is the script's own cost, whatever the input.
/// </summary>
internal sealed class ScriptQuarantine
{
    private readonly Lock _lock = new();
    private readonly Queue<long> _overruns = new();
    private readonly ScriptQuarantineOptions _options;
    private readonly TimeProvider _time;
    private volatile ScriptQuarantineState? _state;

    public ScriptQuarantine(ScriptQuarantineOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Null while the version serves.</summary>
    public ScriptQuarantineState? State => _state;

    public bool IsQuarantined => _state is not null;

    /// <summary>Counts one overrun; true when it put the version in quarantine.</summary>
    public bool RecordOverrun(string reason)
    {
        if (!_options.Enabled || _state is not null)
        {
            return false;
        }

        lock (_lock)
        {
            if (_state is not null)
            {
                return false;
            }

            var now = _time.GetTimestamp();
            _overruns.Enqueue(now);
            while (_overruns.Count > 0 && _time.GetElapsedTime(_overruns.Peek(), now) >= _options.Window)
            {
                _overruns.Dequeue();
            }

            if (_overruns.Count < _options.Failures)
            {
                return false;
            }

            _state = new ScriptQuarantineState(_time.GetUtcNow(), reason, _overruns.Count);
            _overruns.Clear();
            return true;
        }
    }

    /// <summary>Puts the version back in service with an empty window; false when it was not quarantined.</summary>
    public bool Lift()
    {
        lock (_lock)
        {
            _overruns.Clear();
            var was = _state;
            _state = null;
            return was is not null;
        }
    }
}

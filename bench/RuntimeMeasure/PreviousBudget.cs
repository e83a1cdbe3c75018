using System.Runtime.CompilerServices;

namespace Slardar.Scriptable.RuntimeMeasure;

/// <summary>The tick of ScriptBudget before the allocation budget (commit de96da6), kept to compare against.</summary>
internal sealed class PreviousBudget
{
    private const int CheckInterval = 1024;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly long _deadline = long.MaxValue;
    private readonly long _maxTicks = long.MaxValue;
    private long _ticks;
    private long _nextCheck = CheckInterval;

    public void Tick(int line = 0)
    {
        if (++_ticks >= _nextCheck)
        {
            Check(line);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Check(int line)
    {
        if (_ticks > _maxTicks || _time.GetTimestamp() >= _deadline)
        {
            throw new InvalidOperationException($"line {line}");
        }

        _nextCheck = _ticks + CheckInterval;
    }
}

using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

public sealed class ScriptQuarantineTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void RecordOverrun_FailuresWithinTheWindow_Quarantines()
    {
        var quarantine = new ScriptQuarantine(new ScriptQuarantineOptions(3, TimeSpan.FromSeconds(60)), _time);

        quarantine.RecordOverrun("one").ShouldBeFalse();
        quarantine.RecordOverrun("two").ShouldBeFalse();
        quarantine.RecordOverrun("three").ShouldBeTrue();

        quarantine.IsQuarantined.ShouldBeTrue();
        quarantine.State.ShouldBe(new ScriptQuarantineState(_time.GetUtcNow(), "three", 3));
        quarantine.RecordOverrun("four").ShouldBeFalse();
    }

    [Fact]
    public void RecordOverrun_FailuresOlderThanTheWindow_DoNotCount()
    {
        var quarantine = new ScriptQuarantine(new ScriptQuarantineOptions(3, TimeSpan.FromSeconds(60)), _time);
        quarantine.RecordOverrun("old");
        quarantine.RecordOverrun("old");

        _time.Advance(TimeSpan.FromSeconds(60));
        quarantine.RecordOverrun("new").ShouldBeFalse();
        quarantine.RecordOverrun("new").ShouldBeFalse();

        quarantine.IsQuarantined.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(59));
        quarantine.RecordOverrun("new").ShouldBeTrue();
    }

    [Fact]
    public void Lift_Quarantined_ServesAgainWithAnEmptyWindow()
    {
        var quarantine = new ScriptQuarantine(new ScriptQuarantineOptions(2, TimeSpan.FromSeconds(60)), _time);
        quarantine.RecordOverrun("a");
        quarantine.RecordOverrun("b");

        quarantine.Lift().ShouldBeTrue();

        quarantine.IsQuarantined.ShouldBeFalse();
        quarantine.RecordOverrun("c").ShouldBeFalse();
        quarantine.Lift().ShouldBeFalse();
    }

    [Fact]
    public void RecordOverrun_FailuresZero_NeverQuarantines()
    {
        var quarantine = new ScriptQuarantine(new ScriptQuarantineOptions(0, TimeSpan.FromSeconds(60)), _time);

        for (var i = 0; i < 100; i++)
        {
            quarantine.RecordOverrun("x").ShouldBeFalse();
        }

        quarantine.IsQuarantined.ShouldBeFalse();
    }
}

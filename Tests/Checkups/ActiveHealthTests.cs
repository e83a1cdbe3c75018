using Shouldly;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>checkups' update_peer_status rules (sensibility.t), plus rise.</summary>
public sealed class ActiveHealthTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_FirstFailureWithSensibilityOne_TurnsErrAtOnce()
    {
        var health = new ActiveHealth();

        health.Record(ActiveStatus.Err, "connection refused", null, sensibility: 1, rise: 1, T0);

        health.Current.Status.ShouldBe(ActiveStatus.Err);
        health.Current.FailNum.ShouldBe(1);
        health.Current.Message.ShouldBe("connection refused");
        health.Current.LastModified.ShouldBe(T0);
        health.IsUsable.ShouldBeFalse();
    }

    [Fact]
    public void Record_FailuresBelowSensibility_KeepStatusButCount()
    {
        var health = new ActiveHealth();
        health.Record(ActiveStatus.Ok, null, null, 2, 1, T0);

        health.Record(ActiveStatus.Err, "timeout", null, sensibility: 2, rise: 1, T0.AddSeconds(5));
        health.Current.Status.ShouldBe(ActiveStatus.Ok);
        health.Current.FailNum.ShouldBe(1);
        health.Current.LastModified.ShouldBe(T0);

        health.Record(ActiveStatus.Err, "timeout", null, sensibility: 2, rise: 1, T0.AddSeconds(10));
        health.Current.Status.ShouldBe(ActiveStatus.Err);
        health.Current.LastModified.ShouldBe(T0.AddSeconds(10));
    }

    [Fact]
    public void Record_PassesAfterErr_NeedRiseInARow()
    {
        var health = new ActiveHealth();
        health.Record(ActiveStatus.Err, "refused", null, 1, rise: 2, T0);

        health.Record(ActiveStatus.Ok, null, null, 1, rise: 2, T0.AddSeconds(5));
        health.Current.Status.ShouldBe(ActiveStatus.Err);
        health.Current.FailNum.ShouldBe(0);

        health.Record(ActiveStatus.Err, "refused", null, 1, rise: 2, T0.AddSeconds(10));
        health.Record(ActiveStatus.Ok, null, null, 1, rise: 2, T0.AddSeconds(15));
        health.Current.Status.ShouldBe(ActiveStatus.Err);

        health.Record(ActiveStatus.Ok, null, null, 1, rise: 2, T0.AddSeconds(20));
        health.Current.Status.ShouldBe(ActiveStatus.Ok);
        health.Current.Message.ShouldBeNull();
        health.Current.LastModified.ShouldBe(T0.AddSeconds(20));
    }

    [Fact]
    public void Record_Unstable_IsUsableAndKeepsExtraFields()
    {
        var health = new ActiveHealth();
        var extra = System.Collections.Immutable.ImmutableDictionary<string, object?>.Empty.Add("redis_version", "7.0.15");

        health.Record(ActiveStatus.Unstable, "master link status: down", extra, 1, 1, T0);

        health.Current.Status.ShouldBe(ActiveStatus.Unstable);
        health.IsUsable.ShouldBeTrue();
        health.Current.Extra["redis_version"].ShouldBe("7.0.15");
    }

    [Fact]
    public void MarkUnchecked_ThenRecord_StartsFromOk()
    {
        var health = new ActiveHealth();
        health.Record(ActiveStatus.Err, "refused", null, 1, 1, T0);

        health.MarkUnchecked();
        health.Current.Status.ShouldBe(ActiveStatus.Unchecked);
        health.IsUsable.ShouldBeTrue();

        health.Record(ActiveStatus.Ok, null, null, 1, 1, T0.AddSeconds(5));
        health.Current.Status.ShouldBe(ActiveStatus.Ok);
    }
}

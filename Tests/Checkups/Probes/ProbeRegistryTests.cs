using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

public sealed class ProbeRegistryTests
{
    [Theory]
    [InlineData("general", typeof(TcpProbe))]
    [InlineData("http", typeof(HttpProbe))]
    [InlineData("redis", typeof(RedisProbe))]
    [InlineData("mysql", typeof(MysqlProbe))]
    public void Get_KnownType_GivesItsProbe(string type, Type probeType)
    {
        var probe = new ProbeRegistry().Get(type);

        probe.ShouldBeOfType(probeType);
        probe.Type.ShouldBe(type);
        ProbeRegistry.IsKnown(type).ShouldBeTrue();
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("HTTP")]
    [InlineData("")]
    [InlineData(null)]
    public void IsKnown_OtherNames_IsFalse(string? type) => ProbeRegistry.IsKnown(type).ShouldBeFalse();

    [Fact]
    public void Get_UnknownType_ThrowsNamingTheKnownTypes()
    {
        var error = Should.Throw<ArgumentException>(() => new ProbeRegistry().Get("tcp"));

        error.Message.ShouldStartWith("unknown heartbeat type 'tcp'; expected one of: general, http, redis, mysql");
    }

    [Fact]
    public void TryGet_UnknownType_IsFalse() => new ProbeRegistry().TryGet("memcached", out _).ShouldBeFalse();

    [Fact]
    public void Settings_NonPositiveTimeout_IsRejected() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new ProbeSettings { Timeout = TimeSpan.Zero });

    [Fact]
    public void Settings_Default_MatchesCheckups()
    {
        ProbeSettings.Default.Timeout.ShouldBe(TimeSpan.FromSeconds(5));
        ProbeSettings.Default.HttpQuery.ShouldBeNull();
        ProbeSettings.Default.HttpFailureStatuses.ShouldBeEmpty();
    }
}

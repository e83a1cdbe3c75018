using Shouldly;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Xunit;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class BalancingKeyTests
{
    private static BalancingMode Mode(string name) => BalancingModes.TryParse(name, out var mode) ? mode : throw new ArgumentException(name);

    [Theory]
    [InlineData("hash", "script-key")]
    [InlineData("url_hash", "/p")]
    [InlineData("ip_hash", "10.0.0.1")]
    [InlineData("header_hash", "hdr")]
    [InlineData("rr", null)]
    [InlineData("least_conn", null)]
    [InlineData("ewma", null)]
    public void For_EveryInputPresent_TakesTheModesSource(string mode, string? expected)
    {
        BalancingKey.For(Mode(mode), "/p", "10.0.0.1", "hdr", "script-key").ShouldBe(expected);
    }

    [Theory]
    [InlineData("hash", "/p")]
    [InlineData("url_hash", "/p")]
    [InlineData("ip_hash", null)]
    [InlineData("header_hash", "/p")]
    public void For_SourceMissing_FallsBackLikeCheckups(string mode, string? expected)
    {
        BalancingKey.For(Mode(mode), "/p", clientIp: null, xHashKey: "", callerKey: null).ShouldBe(expected);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

/// <summary>Passive health through the whole gateway, with time driven by an injected clock.</summary>
public sealed class PassiveHealthTests
{
    [Fact]
    public async Task FailingPeer_IsTakenOutForFailTimeoutAndComesBackAfterIt()
    {
        var clock = new ManualTimeProvider();
        await using var bad = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        });
        await using var good = await TestBackend.StartNamedAsync("good");
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("p.test", bad.Address, good.Address))
        {
            ["Upstreams:p.test:servers:0:max_fails"] = "1",
            ["Upstreams:p.test:servers:0:fail_timeout"] = "10",
        };
        await using var gateway = await TestGateway.StartAsync(settings, configureServices: services => services.AddSingleton<TimeProvider>(clock));

        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.GetAsync("p.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // One try reached the bad peer, then it was out of rotation.
        Assert.Equal(1, bad.Requests);

        clock.Advance(TimeSpan.FromSeconds(9));
        for (var i = 0; i < 5; i++)
        {
            (await gateway.GetAsync("p.test")).Dispose();
        }

        Assert.Equal(1, bad.Requests);

        clock.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.GetAsync("p.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(bad.Requests > 1, "the peer got tries again once fail_timeout had passed");
    }
}

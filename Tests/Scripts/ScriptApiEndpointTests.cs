using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>GET /script-api/&lt;phase&gt;: the names an editor can complete, per phase.</summary>
public sealed class ScriptApiEndpointTests
{
    [Fact]
    public async Task Get_ForAPhase_ListsItsNames_AndAnUnknownPhaseIs400()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Get, "/script-api/balancer");
        var (unknown, _) = await gateway.AdminAsync(HttpMethod.Get, "/script-api/nope");

        Assert.Equal(200, status);
        var names = json!["names"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("SetCurrentPeer", names);
        Assert.Contains("IScriptCheckups.SelectPeer", names);
        Assert.Equal(400, unknown);
    }
}

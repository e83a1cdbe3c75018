using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Where a stream listener's preread script comes from: its names in the store, Consul and the Scripts folder.</summary>
public sealed class StreamScriptSourcesTests
{
    [Theory]
    [InlineData("stream:6380/preread", true)]
    [InlineData("STREAM:6380/preread", true)]
    [InlineData("stream:6380/rewrite", false)]
    [InlineData("stream:0/preread", false)]
    [InlineData("stream:65536/preread", false)]
    [InlineData("stream:06380/preread", false)]
    [InlineData("stream:/preread", false)]
    [InlineData("a.test/preread", false)]
    public void TryParseStoreName_StreamKeys_OnlyPrereadOnAPort(string name, bool valid)
    {
        ScriptKey.TryParseStoreName(name, out var key).ShouldBe(valid);
        if (valid)
        {
            key.ShouldBe(new ScriptKey("stream:6380", ScriptPhase.Preread));
        }
    }

    [Fact]
    public void TryCreate_StreamPatternWithoutPhase_IsPreread()
    {
        ScriptKey.TryCreate("stream:3307", null, out var key, out _).ShouldBeTrue();
        key.Phase.ShouldBe(ScriptPhase.Preread);
    }

    [Theory]
    [InlineData("stream_6380", "stream:6380")]
    [InlineData("stream_x", "stream_x")]
    [InlineData("api.example.com", "api.example.com")]
    public void PatternFromFolder_MapsStreamFoldersOnly(string folder, string pattern)
    {
        StreamScriptNames.PatternFromFolder(folder).ShouldBe(pattern);
        StreamScriptNames.FolderFromPattern(pattern).ShouldBe(folder);
    }

    [Fact]
    public async Task ScriptsFolderFile_StreamUnderscorePort_ServesAsThatListenersPreread()
    {
        await using var a = EchoBackend.Start("a", replyAtEnd: true);
        await using var b = EchoBackend.Start("b", replyAtEnd: true);
        var port = DeadPeer.ReservePort();
        var folder = Directory.CreateTempSubdirectory("slardar-test-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "Scripts", $"stream_{port}"));
        await File.WriteAllTextAsync(Path.Combine(folder, "Scripts", $"stream_{port}", "preread.csx"), "Upstream = \"b\";");
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>([.. TestGateway.Upstream("a", a.Address), .. TestGateway.Upstream("b", b.Address)]),
            manifest: $$"""{ "streams": { "127.0.0.1:{{port}}": { "upstream": "a", "preread_bytes": 0 } } }""",
            folder: folder);

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{port}"));
        await client.SendAsync("xy");
        client.Socket.Shutdown(SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBe("b:2");
        var (_, json) = await gateway.AdminAsync(HttpMethod.Get, $"/script/stream:{port}/preread");
        json!.ToJsonString().ShouldContain("Upstream = \\u0022b\\u0022;");
    }

    [Fact]
    public async Task GatewayStopping_SessionInFlightFinishes_ThenTheStopCompletes()
    {
        await using var backend = EchoBackend.Start();
        var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", [.. TestGateway.Upstream("echo", backend.Address), new("Streams:DrainTimeoutSeconds", "60")]);
        var endPoint = gateway.Bound("127.0.0.1:0");
        using var client = await StreamClient.ConnectAsync(endPoint);
        await client.SendAsync("a");
        (await client.ReceiveAsync(1)).ShouldBe("a");

        var stopping = gateway.DisposeAsync().AsTask();
        await Poll.UntilAsync(async () =>
        {
            try
            {
                using var late = await StreamClient.ConnectAsync(endPoint);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }, refused => refused, TimeSpan.FromSeconds(20), "the listener to stop accepting");

        stopping.IsCompleted.ShouldBeFalse();
        await client.SendAsync("b");
        (await client.ReceiveAsync(1)).ShouldBe("b");
        client.Socket.Shutdown(SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBeEmpty();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

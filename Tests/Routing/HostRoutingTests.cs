using System.Net;
using System.Text.Json;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Slardar.Scriptable.Tests.Routing;

/// <summary>Host routing through the real proxy listener, and live edits of scripts.json.</summary>
public sealed class HostRoutingTests
{
    private const string Manifest = """
        {
          "hosts": {
            "exact.test": { "upstream": "one" },
            "*.wild.test": { "upstream": "two" },
            "_": { "upstream": "three" }
          }
        }
        """;

    private static async Task<(TestGateway Gateway, TestBackend[] Backends)> StartAsync(string? manifest)
    {
        var backends = new[]
        {
            await TestBackend.StartNamedAsync("one"),
            await TestBackend.StartNamedAsync("two"),
            await TestBackend.StartNamedAsync("three"),
            await TestBackend.StartNamedAsync("named"),
        };
        var settings = new Dictionary<string, string?>(
            TestGateway.Upstream("one", backends[0].Address)
                .Concat(TestGateway.Upstream("two", backends[1].Address))
                .Concat(TestGateway.Upstream("three", backends[2].Address))
                .Concat(TestGateway.Upstream("named.wild.test", backends[3].Address)));
        return (await TestGateway.StartAsync(settings, manifest), backends);
    }

    [Theory]
    [InlineData("exact.test", "one")]
    [InlineData("a.wild.test", "two")]
    [InlineData("named.wild.test", "named")]
    [InlineData("elsewhere.test", "three")]
    [InlineData("exact.test:8080", "one")]
    public async Task Request_ByHost_ReachesTheBoundUpstream(string host, string expected)
    {
        var (gateway, backends) = await StartAsync(Manifest);
        await using var _ = gateway;
        try
        {
            using var response = await gateway.GetAsync(host);

            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Request_UnknownHostWithoutDefault_Is404WithJsonErrorAndErrorCode()
    {
        var (gateway, backends) = await StartAsync("""{ "hosts": { "exact.test": { "upstream": "one" } } }""");
        await using var _ = gateway;
        try
        {
            using var response = await gateway.GetAsync("nobody.test");

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("40400001", response.Headers.GetValues("X-Error-Code").Single());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(40400001, body.RootElement.GetProperty("code").GetInt32());
            Assert.Contains("nobody.test", body.RootElement.GetProperty("msg").GetString());
            Assert.All(backends, b => Assert.Equal(0, b.Requests));
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Request_BindingNamesMissingUpstream_Is502WithErrorCode()
    {
        var (gateway, backends) = await StartAsync("""{ "hosts": { "_": { "upstream": "ghost" } } }""");
        await using var _ = gateway;
        try
        {
            using var response = await gateway.GetAsync("x.test");

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("50200001", response.Headers.GetValues("X-Error-Code").Single());
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ManifestEdit_OnDisk_RebindsWithoutRestartAndBrokenEditChangesNothing()
    {
        var (gateway, backends) = await StartAsync(Manifest);
        await using var _ = gateway;
        try
        {
            var provider = gateway.Services.GetRequiredService<RouteTableProvider>();
            Assert.Equal("one", await (await gateway.GetAsync("exact.test")).Content.ReadAsStringAsync());

            // An editor that saves by writing a temp file and renaming it over the original.
            var rebound = Manifest.Replace("\"exact.test\": { \"upstream\": \"one\" }", "\"exact.test\": { \"upstream\": \"two\" }", StringComparison.Ordinal);
            await ReplaceAndWaitAsync(provider, gateway.ManifestPath, rebound, expectSwap: true);
            Assert.Equal("two", await (await gateway.GetAsync("exact.test")).Content.ReadAsStringAsync());

            var before = provider.Current;
            await ReplaceAndWaitAsync(provider, gateway.ManifestPath, "{ \"hosts\": { \"exact.test\": { \"upstream\": ", expectSwap: false);
            Assert.Same(before, provider.Current);
            Assert.Equal("two", await (await gateway.GetAsync("exact.test")).Content.ReadAsStringAsync());
        }
        finally
        {
            foreach (var backend in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }

    /// <summary>Writes the manifest by rename and waits (bounded) for the provider to react.</summary>
    private static async Task ReplaceAndWaitAsync(RouteTableProvider provider, string path, string content, bool expectSwap)
    {
        var swapped = new TaskCompletionSource();
        var rejected = new TaskCompletionSource();
        void OnChanged(RouteTable _) => swapped.TrySetResult();
        void OnRejected(string _) => rejected.TrySetResult();
        provider.Changed += OnChanged;
        provider.Rejected += OnRejected;
        try
        {
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, content);
            File.Move(temp, path, overwrite: true);
            await (expectSwap ? swapped.Task : rejected.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            provider.Changed -= OnChanged;
            provider.Rejected -= OnRejected;
        }
    }
}

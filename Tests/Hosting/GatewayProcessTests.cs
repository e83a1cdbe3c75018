using System.Net;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Hosting;

/// <summary>The gateway binary as a user runs it: configuration from the environment and the command line.</summary>
public sealed class GatewayProcessTests
{
    [Fact]
    public async Task Start_UpstreamFromEnvironmentVariables_ServesIt()
    {
        await using var backend = await TestBackend.StartNamedAsync("from-env");
        var folder = Directory.CreateTempSubdirectory("slardar-proc-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Gateway__Listen"] = "http://127.0.0.1:0",
            ["Upstreams__env.test__servers__0__host"] = "127.0.0.1",
            ["Upstreams__env.test__servers__0__port"] = backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Scripts__Manifest"] = Path.Combine(folder, "scripts.json"),
        };
        await using var gateway = await GatewayProcess.StartAsync(environment);
        using var client = new HttpClient();

        var request = new HttpRequestMessage(HttpMethod.Get, gateway.ProxyUrl + "/");
        request.Headers.Host = "env.test";
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("from-env", await response.Content.ReadAsStringAsync());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Start_CommandLineOverridesEnvironment()
    {
        await using var envBackend = await TestBackend.StartNamedAsync("env");
        await using var cliBackend = await TestBackend.StartNamedAsync("cli");
        var folder = Directory.CreateTempSubdirectory("slardar-proc-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Upstreams__x.test__servers__0__host"] = "127.0.0.1",
            ["Upstreams__x.test__servers__0__port"] = envBackend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var gateway = await GatewayProcess.StartAsync(environment,
            $"--Upstreams:x.test:servers:0:port={cliBackend.Port}", $"--Scripts:Manifest={Path.Combine(folder, "scripts.json")}");
        using var client = new HttpClient();

        var request = new HttpRequestMessage(HttpMethod.Get, gateway.ProxyUrl + "/");
        request.Headers.Host = "x.test";
        using var response = await client.SendAsync(request);

        Assert.Equal("cli", await response.Content.ReadAsStringAsync());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Start_InvalidConfiguration_ExitsWithTheReason()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayProcess.StartAsync("--Proxy:Tries=zero"));

        Assert.Contains("Proxy:Tries must be an integer", error.Message);
    }

    [Theory]
    [InlineData("--Proxy:Tries=zero", "Proxy:Tries must be an integer")]
    [InlineData("--Checkups:ActiveChecks=0", "Checkups:ActiveChecks must be true or false")]
    [InlineData("--Logging:Console=no", "Logging:Console must be true or false")]
    public async Task Start_InvalidConfiguration_OneLineOnStderrAndExitCode2(string argument, string expected)
    {
        var (exitCode, _, error) = await GatewayProcess.RunToExitAsync(argument);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData("--Streams:EventLoops=maybe", "Streams:EventLoops must be true or false")]
    [InlineData("--Scripts:Threads:Max=0", "Scripts:Threads:Max must be an integer")]
    [InlineData("--Scripts:Quarantine:Failures=-1", "Scripts:Quarantine:Failures must be an integer")]
    public async Task Start_InvalidSettingOfAService_RefusedBeforeTheStoreIsCreated(string argument, string expected)
    {
        var store = Path.Combine(Path.GetTempPath(), $"slardar-never-{Guid.NewGuid():N}.db");

        try
        {
            var (exitCode, _, error) = await GatewayProcess.RunToExitAsync(argument, $"--Store:Path={store}");

            Assert.Equal(2, exitCode);
            Assert.Contains(expected, error);
            Assert.False(File.Exists(store), "the store was created (and migrated) before the bad value was refused");
        }
        finally
        {
            foreach (var file in new[] { store, store + "-wal", store + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}

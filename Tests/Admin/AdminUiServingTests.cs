using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Slardar.Scriptable.Host.Admin;
using Slardar.Scriptable.Tests.AdminUi;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

/// <summary>The admin listener serves the UI's static build without a token, and keeps the API behind it.</summary>
public sealed class AdminUiServingTests
{
    private static HttpRequestMessage Get(string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return request;
    }

    [Fact]
    public async Task UiShell_WithAdminToken_LoadsWithoutTheTokenWhileEveryApiCallStillNeedsIt()
    {
        UiBuild.EnsureBuilt();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Admin:Token"] = "t0ken",
            ["Admin:UiFolder"] = UiBuild.Dist,
        });

        using var page = await gateway.Admin.SendAsync(Get("/ui/"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>Slardar.Scriptable admin</title>", html, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/ui/assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var asset = await gateway.Admin.SendAsync(Get(script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType!.MediaType);

        using var browserRoot = await gateway.Admin.SendAsync(Get("/", "text/html"));
        Assert.Equal(HttpStatusCode.OK, browserRoot.StatusCode);
        Assert.Equal(html, await browserRoot.Content.ReadAsStringAsync());

        // Redirected to /ui/ (the client follows), where the page's relative links resolve.
        using var bare = await gateway.Admin.SendAsync(Get("/ui"));
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Equal("/ui/", bare.RequestMessage!.RequestUri!.AbsolutePath);

        foreach (var api in new[] { "/", "/status", "/overview", "/upstreams", "/scripts" })
        {
            using var denied = await gateway.Admin.SendAsync(Get(api, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        }
    }

    [Fact]
    public async Task Root_RequestedByCurl_IsStillTheJsonSummary()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admin:UiFolder"] = UiBuild.Dist });

        var (status, json) = await gateway.AdminAsync(HttpMethod.Get, "/");

        Assert.Equal(200, status);
        Assert.Equal("Slardar.Scriptable", json!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UiShell_NotBuilt_SaysHowToBuildItAndTheApiServes()
    {
        var missing = Path.Combine(Path.GetTempPath(), "slardar-no-ui-" + Guid.NewGuid().ToString("N"));
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admin:UiFolder"] = missing });

        using var page = await gateway.Admin.SendAsync(Get("/ui/"));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("npm run build", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Get, "/status")).Status);
    }

    [Fact]
    public void UiFolder_NotConfigured_IsTheRepositorysBuildFoundAboveTheBinary()
    {
        UiBuild.EnsureBuilt();

        var options = AdminUiOptions.FromConfiguration(new ConfigurationBuilder().Build());

        Assert.Equal(Path.GetFullPath(UiBuild.Dist), options.Folder);
    }
}

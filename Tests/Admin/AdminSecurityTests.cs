using System.Net;
using System.Net.Http.Headers;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

public sealed class AdminSecurityTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer s3cret-token-but-longer")]
    [InlineData("Basic czNjcmV0LXRva2Vu")]
    public async Task AdminCall_TokenSetAndNotPresented_Is401(string? authorization)
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admin:Token"] = "s3cret-token" });
        var request = new HttpRequestMessage(HttpMethod.Post, "/upstream/web") { Content = new StringContent("""{"servers":[{"host":"a","port":1}]}""") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(404, (await AuthorizedGetAsync(gateway, "/upstream/web")).Status);
    }

    [Fact]
    public async Task AdminCall_RightToken_IsServed()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admin:Token"] = "s3cret-token" });
        var request = new HttpRequestMessage(HttpMethod.Post, "/upstream/web") { Content = new StringContent("""{"servers":[{"host":"a","port":1}]}""") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");

        using var response = await gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, (await AuthorizedGetAsync(gateway, "/upstream/web")).Status);
    }

    [Fact]
    public async Task Start_AdminOnNonLoopbackWithoutToken_RefusesWithAClearMessage()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestGateway.StartAsync(new Dictionary<string, string?> { ["Admin:Listen"] = "http://0.0.0.0:0" }));

        Assert.Contains("Admin:Listen (http://0.0.0.0:0) is not a loopback address and Admin:Token is empty", error.Message);
    }

    private static async Task<(int Status, string Body)> AuthorizedGetAsync(TestGateway gateway, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        using var response = await gateway.Admin.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

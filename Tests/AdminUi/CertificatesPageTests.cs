using Microsoft.Playwright;
using Slardar.Scriptable.Tests.Certificates;
using Slardar.Scriptable.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The certificates page in a real chromium against a real gateway: paste a PEM chain and key, see it serve, delete it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CertificatesPageTests(BrowserFixture browser) : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task CertificatesPage_AddPastedPem_ServesTheNextHandshake_ThenDeleteStopsIt()
    {
        await using var ui = await AdminUiSession.StartAsync(browser, [new("Gateway:Listen", "https://127.0.0.1:0")]);
        var port = TlsClient.PortOf(ui.Gateway.ProxyUrls[0]);
        var issued = _ca.Issue(["ui.example.com"]);
        await ui.OpenAsync("certificates");

        // A key of another certificate: the API's message shows, nothing is stored.
        await ui.Page.GetByLabel("Name").FillAsync("site");
        await ui.Page.GetByLabel("Hosts").FillAsync("ui.example.com");
        await ui.Page.GetByLabel("Certificate chain (PEM, leaf first)").FillAsync(issued.Chain);
        await ui.Page.GetByLabel("Private key (PEM, not encrypted)").FillAsync(_ca.Issue(["ui.example.com"]).Key);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save certificate" }).ClickAsync();
        await Expect(ui.Page.Locator("#certificate-message")).ToContainTextAsync("Not saved: key: does not match the certificate");
        Assert.Equal(404, (await ui.Gateway.AdminAsync(HttpMethod.Get, "/cert/site")).Status);

        await ui.Page.GetByLabel("Private key (PEM, not encrypted)").FillAsync(issued.Key);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save certificate" }).ClickAsync();

        await Expect(ui.Page.Locator("#certificate-message")).ToContainTextAsync("Saved certificate site (version 1)");
        await Expect(ui.Page.Locator("tr[data-certificate='site']")).ToContainTextAsync("ui.example.com");
        await Expect(ui.Page.Locator("#certificate-key")).ToHaveValueAsync(string.Empty);
        Assert.Equal(issued.Sha256, (await TlsClient.HandshakeAsync(port, "ui.example.com", _ca)).Sha256);
        await ui.ScreenshotAsync("certificates");

        ui.Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Delete certificate site" }).ClickAsync();

        await Expect(ui.Page.Locator("tr[data-certificate='site']")).ToHaveCountAsync(0);
        await Assert.ThrowsAnyAsync<IOException>(() => TlsClient.HandshakeAsync(port, "ui.example.com", _ca));
    }

    [Fact]
    public async Task CertificatesPage_History_RollsBackToTheEarlierCertificate_WithoutShowingAKey()
    {
        await using var ui = await AdminUiSession.StartAsync(browser, [new("Gateway:Listen", "https://127.0.0.1:0")]);
        var port = TlsClient.PortOf(ui.Gateway.ProxyUrls[0]);
        var first = _ca.Issue(["ui.example.com"]);
        var second = _ca.Issue(["ui.example.com"]);
        foreach (var issued in new[] { first, second })
        {
            var body = new System.Text.Json.Nodes.JsonObject { ["cert"] = issued.Chain, ["key"] = issued.Key, ["hosts"] = new System.Text.Json.Nodes.JsonArray("ui.example.com") }.ToJsonString();
            Assert.Equal(200, (await ui.Gateway.AdminAsync(HttpMethod.Post, "/cert/site", body)).Status);
        }

        await ui.OpenAsync("certificates");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "History of certificate site" }).ClickAsync();
        var history = ui.Page.Locator("[data-history='site']");
        await Expect(history.Locator("tr[data-version='2']")).ToContainTextAsync("serving");
        await history.GetByRole(AriaRole.Button, new() { Name = "Diff version 1" }).ClickAsync();
        await Expect(history.Locator("pre.diff")).ToContainTextAsync("BEGIN CERTIFICATE");
        Assert.DoesNotContain("PRIVATE KEY", await history.InnerHTMLAsync(), StringComparison.Ordinal);

        await history.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();

        await Expect(history).ToContainTextAsync("Rolled back to v1: now serving as v3.");
        await Expect(history.Locator("tr[data-version='3']")).ToContainTextAsync("serving");
        await Expect(ui.Page.Locator("tr[data-certificate='site']")).ToContainTextAsync("rollback v3");
        Assert.Equal(first.Sha256, (await TlsClient.HandshakeAsync(port, "ui.example.com", _ca)).Sha256);
    }
}

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
}

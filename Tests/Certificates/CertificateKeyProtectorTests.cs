using System.Security.Cryptography;
using Slardar.Scriptable.Host.Certificates;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>Private keys at rest: sealed with AES-256-GCM, bound to the certificate's name and to the protection key.</summary>
public sealed class CertificateKeyProtectorTests
{
    private const string Pem = "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----";

    private readonly CertificateKeyProtector _protector = new(RandomNumberGenerator.GetBytes(32), "test");

    [Fact]
    public void Seal_ThenUnseal_GivesTheKeyBack_AndTheSealedTextHoldsNoPem()
    {
        var sealedKey = _protector.Seal("site", Pem);

        Assert.DoesNotContain("PRIVATE KEY", sealedKey, StringComparison.Ordinal);
        Assert.StartsWith("aes256gcm.v1:" + _protector.KeyId + ":", sealedKey, StringComparison.Ordinal);
        Assert.Equal(Pem, _protector.Unseal("SITE", sealedKey, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Seal_TwiceTheSameKey_GivesDifferentTexts()
    {
        Assert.NotEqual(_protector.Seal("site", Pem), _protector.Seal("site", Pem));
    }

    [Fact]
    public void Unseal_UnderAnotherName_DoesNotOpen()
    {
        var sealedKey = _protector.Seal("site", Pem);

        Assert.Null(_protector.Unseal("other", sealedKey, out var error));
        Assert.StartsWith("the sealed key does not open", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unseal_WithAnotherProtectionKey_SaysSo()
    {
        var other = new CertificateKeyProtector(RandomNumberGenerator.GetBytes(32), "other");

        Assert.Null(other.Unseal("site", _protector.Seal("site", Pem), out var error));
        Assert.StartsWith("the key was sealed with another protection key", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("aes256gcm.v1:x:y:z")]
    public void Unseal_Garbage_IsAnErrorNotAnException(string value)
    {
        Assert.Null(_protector.Unseal("site", value, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Unseal_TamperedCiphertext_DoesNotOpen()
    {
        var sealedKey = _protector.Seal("site", Pem);
        var parts = sealedKey.Split(':');
        var bytes = Convert.FromBase64String(parts[2]);
        bytes[^1] ^= 1;

        Assert.Null(_protector.Unseal("site", $"{parts[0]}:{parts[1]}:{Convert.ToBase64String(bytes)}", out _));
    }
}

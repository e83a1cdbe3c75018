using System.Security.Cryptography;
using System.Text;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// Seals private keys at rest (store, Consul) with AES-256-GCM under the protection key. The
/// certificate's name is the associated data, so a sealed key copied onto another certificate's row
/// does not open. Format: <c>aes256gcm.v1:&lt;key id&gt;:&lt;base64(nonce | tag | ciphertext)&gt;</c>; the key
/// id (a hash prefix of the protection key) tells a wrong key from a damaged value.
/// </summary>
internal sealed class CertificateKeyProtector
{
    public const int KeyBytes = 32;

    private const string Scheme = "aes256gcm.v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public CertificateKeyProtector(byte[] key, string source)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"the protection key must be {KeyBytes} bytes", nameof(key));
        }

        _key = [.. key];
        Source = source;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    /// <summary>Where the key came from: "configuration" or the path of the key file.</summary>
    public string Source { get; }

    public string KeyId { get; }

    public string Seal(string name, string keyPem)
    {
        var plain = Encoding.UTF8.GetBytes(keyPem);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), AssociatedData(name));
        }

        CryptographicOperations.ZeroMemory(plain);
        return $"{Scheme}:{KeyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <returns>The PEM key, or null with <paramref name="error"/> saying why it does not open.</returns>
    public string? Unseal(string name, string sealedKey, out string? error)
    {
        error = null;
        var parts = sealedKey.Split(':');
        if (parts.Length != 3 || parts[0] != Scheme)
        {
            error = "the sealed key is not in the aes256gcm.v1 format";
            return null;
        }

        if (parts[1] != KeyId)
        {
            error = $"the key was sealed with another protection key (id {parts[1]}, this gateway has {KeyId}): set the same Certificates:ProtectionKey on every gateway";
            return null;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            error = "the sealed key is not valid base64";
            return null;
        }

        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            error = "the sealed key is truncated";
            return null;
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain, AssociatedData(name));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            error = "the sealed key does not open (damaged, or sealed for another certificate name)";
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static byte[] AssociatedData(string name) => Encoding.UTF8.GetBytes("slardar-certificate:" + name.ToLowerInvariant());
}

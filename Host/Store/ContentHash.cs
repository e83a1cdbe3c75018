using System.Security.Cryptography;
using System.Text;

namespace Slardar.Scriptable.Host.Store;

/// <summary>SHA-256 of a document's UTF-8 bytes, lower-case hex: lets history and the UI compare versions cheaply.</summary>
internal static class ContentHash
{
    public static string Sha256Hex(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}

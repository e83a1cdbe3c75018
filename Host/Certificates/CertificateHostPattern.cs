using System.Diagnostics.CodeAnalysis;
using System.Net;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// The host patterns a certificate is served for: an exact name, <c>*.example.com</c> (exactly one
/// more label, as a wildcard certificate covers), or <c>_</c>, the default for a handshake without
/// SNI or with a name no other pattern matches (the default pattern of scripts.json too).
/// </summary>
internal static class CertificateHostPattern
{
    public const string Default = "_";

    /// <summary>Lower-cases and checks a pattern; null with <paramref name="error"/> set when it is not one.</summary>
    public static bool TryNormalize(string? pattern, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "a host pattern is empty";
            return false;
        }

        if (pattern == Default)
        {
            normalized = Default;
            error = null;
            return true;
        }

        var lower = pattern.ToLowerInvariant().TrimEnd('.');
        var name = lower.StartsWith("*.", StringComparison.Ordinal) ? lower[2..] : lower;
        if (IPAddress.TryParse(name.Trim('[', ']'), out _))
        {
            error = $"host pattern \"{Shorten(pattern)}\" is an IP address: SNI carries names only";
            return false;
        }

        if (name.Contains('*', StringComparison.Ordinal) || !UpstreamValueRules.IsValidHost(name) || (lower.StartsWith('*') && !name.Contains('.', StringComparison.Ordinal)))
        {
            error = $"host pattern \"{Shorten(pattern)}\" is not a host name, *.name (one leftmost wildcard label over at least two labels) or _";
            return false;
        }

        normalized = lower;
        error = null;
        return true;
    }

    /// <summary>The name a client asked for in SNI, as patterns are written: lower case, no trailing dot.</summary>
    public static string? NormalizeServerName(string? serverName) =>
        string.IsNullOrEmpty(serverName) ? null : serverName.TrimEnd('.').ToLowerInvariant();

    /// <summary>Whether a certificate name (a DNS SAN, possibly <c>*.x</c>) covers a pattern: every name the pattern matches is valid for the certificate.</summary>
    public static bool Covers(string certificateName, string pattern)
    {
        var san = certificateName.TrimEnd('.');
        if (string.Equals(san, pattern, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A wildcard SAN covers one label: *.example.com covers a.example.com, not a.b.example.com
        // and not example.com. A wildcard pattern is covered only by the same wildcard SAN (above).
        if (san.StartsWith("*.", StringComparison.Ordinal) && !pattern.StartsWith('*'))
        {
            var dot = pattern.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && string.Equals(pattern[dot..], san[1..], StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}

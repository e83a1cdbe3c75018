namespace Slardar.Scriptable.Bench.Targets;

/// <summary>Checks before measuring that a target does what it is compared for (a fast wrong answer is no result).</summary>
internal static class Sanity
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task ExpectAsync(string url, string? host, HttpMethod method, int status, string? header = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (header is not null)
        {
            request.Headers.Add(header, "1");
        }

        using var response = await Client.SendAsync(request);
        if ((int)response.StatusCode != status)
        {
            throw new InvalidOperationException($"{method} {url} (Host {host}) answered {(int)response.StatusCode}, expected {status}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>GET <paramref name="url"/> for <paramref name="host"/>: "status body".</summary>
    public static async Task<string> BodyAsync(string url, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = host;
        using var response = await Client.SendAsync(request);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>The full behaviour of the scripted targets: GET proxied, DELETE forbidden (rewrite), X-Deny refused (auth).</summary>
    public static async Task ExpectScriptedAsync(string url, string? host)
    {
        await ExpectAsync(url, host, HttpMethod.Get, 200);
        await ExpectAsync(url, host, HttpMethod.Delete, 403);
        await ExpectAsync(url, host, HttpMethod.Get, 401, "X-Deny");
    }
}

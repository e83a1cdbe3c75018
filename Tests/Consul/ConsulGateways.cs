using System.Text.Json.Nodes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>Real gateways in-process with Consul configured to a <see cref="ConsulDouble"/>, and the KV keys they read.</summary>
internal static class ConsulGateways
{
    public const string Prefix = "config/slardar/";

    /// <summary>
    /// Bound on waiting for a change to show. The design's delay is one blocking-query round trip;
    /// the bound is for a 2-core machine running the whole suite in parallel, where a catch-up
    /// that compiles scripts has taken over 10 s. Waits end as soon as the change shows.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static string UpstreamKey(string name) => Prefix + "upstreams/" + name;

    public static string ScriptKey(string host, string phase) => Prefix + "scripts/" + host + "/" + phase;

    public static string ConfigKey(string key) => Prefix + "config/" + key;

    /// <summary>Slardar's KV upstream value: one level of servers.</summary>
    public static string Servers(params TestBackend[] backends) =>
        new JsonObject { ["servers"] = new JsonArray([.. backends.Select(b => (JsonNode)new JsonObject { ["host"] = "127.0.0.1", ["port"] = b.Port })]) }.ToJsonString();

    public static Task<TestGateway> StartAsync(ConsulDouble consul, string? folder = null, IDictionary<string, string?>? settings = null, Uri? address = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Consul:Address"] = (address ?? consul.Address).ToString(),
            ["Consul:Prefix"] = Prefix,

            // A down Consul refuses at once, and the hung-Consul tests set their own short bound: this
            // one only has to outlast a 2-core machine running the suite in parallel (3 s once did not
            // for the first service query at start). Retries stay quick.
            ["Consul:RequestTimeoutSeconds"] = "15",
            ["Consul:RetryMaxSeconds"] = "0.2",
            ["Consul:WaitSeconds"] = "30",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return TestGateway.StartAsync(values, folder: folder);
    }

    /// <summary>The body of a proxied GET, or its status when it failed.</summary>
    public static async Task<string> BodyAsync(TestGateway gateway, string host, string path = "/")
    {
        using var response = await gateway.GetAsync(host, path);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : $"{(int)response.StatusCode} {body}";
    }

    public static Task<string> UntilBodyAsync(TestGateway gateway, string host, Func<string, bool> done, string what, string path = "/") =>
        Poll.UntilAsync(() => BodyAsync(gateway, host, path), done, Limit, what);

    public static async Task<JsonObject> ConsulStatusAsync(TestGateway gateway) =>
        (await gateway.AdminAsync(HttpMethod.Get, "/status")).Json!["consul"]!.AsObject();
}

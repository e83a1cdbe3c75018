using System.Globalization;
using System.Text;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>
/// The gateway's side of the comparison: the same logic as the nginx peer's Lua (Nginx/peer.conf),
/// as C# scripts posted through the admin API, the way an operator would.
/// </summary>
internal static class BenchScripts
{
    public const string Rewrite = """if (Request.Method == "DELETE") return Exit(403);""";

    public const string Auth = """if (Request.Headers["X-Deny"] is not null) return Exit(401);""";

    /// <summary>Round robin through checkups with nginx's set_more_tries(#peers - 1) on the first turn, as the peer's balancer_by_lua.</summary>
    public static string Balancer(int peers) =>
        $"if (Tries == 0) SetMoreTries({(peers - 1).ToString(CultureInfo.InvariantCulture)});\nSetCurrentPeer(Checkups.SelectPeer(Upstream));";

    public static async Task InstallAsync(GatewayInstance gateway, string host, int peers)
    {
        await gateway.PutScriptAsync(host, "rewrite", Rewrite);
        await gateway.PutScriptAsync(host, "auth", Auth);
        await gateway.PutScriptAsync(host, "balancer", Balancer(peers));
    }

    /// <summary>A 50-line rewrite script; <paramref name="variant"/> makes each one a new version.</summary>
    public static string FiftyLines(int variant)
    {
        var source = new StringBuilder();
        source.Append(CultureInfo.InvariantCulture, $"// reload {variant}\n");
        source.Append("var path = Request.Path;\n");
        for (var i = 0; i < 23; i++)
        {
            source.Append(CultureInfo.InvariantCulture, $"if (path.StartsWith(\"/v{i}/\")) Request.Headers[\"X-Route\"] = \"v{i}-{variant}\";\n");
            source.Append(CultureInfo.InvariantCulture, $"else if (Request.Query[\"q{i}\"] == \"{variant}\") Vars[\"q\"] = \"{i}\";\n");
        }

        source.Append("if (Request.Method == \"DELETE\") return Exit(403);\n");
        source.Append("Request.Headers[\"X-Reload\"] = \"").Append(variant.ToString(CultureInfo.InvariantCulture)).Append("\";\n");
        source.Append("return Next;\n");
        return source.ToString();
    }
}

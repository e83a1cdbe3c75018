using System.Text;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Tests.Routing;

public sealed class RouteTableTests
{
    private static RouteTable Table(string json)
    {
        var result = ManifestParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsValid, result.Error);
        return new RouteTable(result.Config);
    }

    private static readonly RouteTable Sample = Table("""
        {
          "hosts": {
            "api.example.com": { "upstream": "api" },
            "*.example.com": { "upstream": "wild" },
            "*.eu.example.com": { "upstream": "wild-eu" },
            "bare.example.com": {},
            "_": { "upstream": "fallback" }
          }
        }
        """);

    [Theory]
    [InlineData("api.example.com", RouteMatchKind.ExactBinding, "api")]
    [InlineData("API.Example.COM", RouteMatchKind.ExactBinding, "api")]
    [InlineData("www.example.com", RouteMatchKind.WildcardBinding, "wild")]
    [InlineData("a.b.example.com", RouteMatchKind.WildcardBinding, "wild")]
    [InlineData("x.eu.example.com", RouteMatchKind.WildcardBinding, "wild-eu")]
    [InlineData("bare.example.com", RouteMatchKind.ExactBinding, "bare.example.com")]
    [InlineData("other.org", RouteMatchKind.DefaultBinding, "fallback")]
    [InlineData("example.com", RouteMatchKind.DefaultBinding, "fallback")]
    internal void Resolve_Host_FollowsExactThenWildcardThenDefault(string host, RouteMatchKind kind, string upstream)
    {
        var match = Sample.Resolve(host, _ => false);

        Assert.Equal(kind, match.Kind);
        Assert.Equal(upstream, match.UpstreamName);
    }

    [Fact]
    public void Resolve_UpstreamNamedAfterHost_WinsOverWildcardAndDefault()
    {
        var match = Sample.Resolve("svc.example.com", name => name == "svc.example.com");

        Assert.Equal(RouteMatchKind.NamedUpstream, match.Kind);
        Assert.Equal("svc.example.com", match.UpstreamName);
    }

    [Fact]
    public void Resolve_ExactBinding_WinsOverUpstreamNamedAfterHost()
    {
        var match = Sample.Resolve("api.example.com", _ => true);

        Assert.Equal(RouteMatchKind.ExactBinding, match.Kind);
        Assert.Equal("api", match.UpstreamName);
    }

    [Fact]
    public void Resolve_NoBindingNoUpstreamNoDefault_IsNotFound()
    {
        var table = Table("""{ "hosts": { "a.test": { "upstream": "a" } } }""");

        Assert.False(table.Resolve("b.test", _ => false).Found);
    }
}

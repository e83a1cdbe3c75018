using System.Text;
using Microsoft.Extensions.Configuration;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;
using Xunit;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>The parser's balancing fields: named levels, <c>mode</c>, <c>outlier</c>.</summary>
public sealed class UpstreamConfigParserBalancingTests
{
    private const string OneServer = "'servers':[{'host':'a','port':1}]";

    private static UpstreamParseResult Parse(string json) =>
        UpstreamConfigParser.Parse("up", Encoding.UTF8.GetBytes(json.Replace('\'', '"')));

    private static UpstreamConfig ParseOk(string json)
    {
        var result = Parse(json);
        result.Error.ShouldBeNull();
        return result.Config.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_NamedCluster_KeepsDeclarationOrderAndNames()
    {
        var config = ParseOk("""
            {'cluster':{'dc2':{'servers':[{'host':'b','port':2}]},'dc1':{'servers':[{'host':'a','port':1}]}}}
            """);

        config.HasNamedLevels.ShouldBeTrue();
        config.Levels.Select(l => l.Name).ShouldBe(["dc2", "dc1"]);
        config.Levels.Select(l => l.Servers.Single().Address).ShouldBe(["b:2", "a:1"]);
    }

    [Fact]
    public void Parse_ArrayCluster_HasNoLevelNames()
    {
        var config = ParseOk("{'cluster':[{" + OneServer + "},{" + OneServer + "}]}");

        config.HasNamedLevels.ShouldBeFalse();
        config.Levels.ShouldAllBe(l => l.Name == null);
    }

    [Fact]
    public void Parse_NoModeOrOutlier_GivesRoundRobinAndDefaultDetection()
    {
        var config = ParseOk("{" + OneServer + "}");

        config.Mode.ShouldBe(BalancingMode.RoundRobin);
        config.Outlier.ShouldBe(OutlierOptions.Default);
        config.Outlier.Enabled.ShouldBeTrue();
    }

    [Theory]
    [InlineData("", nameof(BalancingMode.RoundRobin))]
    [InlineData("rr", nameof(BalancingMode.RoundRobin))]
    [InlineData("wrr", nameof(BalancingMode.RoundRobin))]
    [InlineData("hash", nameof(BalancingMode.Hash))]
    [InlineData("url_hash", nameof(BalancingMode.UrlHash))]
    [InlineData("ip_hash", nameof(BalancingMode.IpHash))]
    [InlineData("header_hash", nameof(BalancingMode.HeaderHash))]
    [InlineData("least_conn", nameof(BalancingMode.LeastConn))]
    [InlineData("ewma", nameof(BalancingMode.Ewma))]
    public void Parse_Mode_IsRead(string mode, string expected)
    {
        ParseOk("{" + OneServer + ",'mode':'" + mode + "'}").Mode.ToString().ShouldBe(expected);
    }

    [Fact]
    public void Parse_EveryOutlierField_IsRead()
    {
        var config = ParseOk("{" + OneServer + """
            ,'outlier':{'enable':true,'window':60,'min_requests':50,'factor':1.5,'consecutive_5xx':0,
             'max_ejection_percent':20,'base_ejection_time':10,'max_ejection_time':100,'panic_threshold':0}}
            """);

        config.Outlier.ShouldBe(new OutlierOptions
        {
            Enabled = true,
            Window = TimeSpan.FromSeconds(60),
            MinRequests = 50,
            Factor = 1.5,
            Consecutive5xx = 0,
            MaxEjectionPercent = 20,
            BaseEjectionTime = TimeSpan.FromSeconds(10),
            MaxEjectionTime = TimeSpan.FromSeconds(100),
            PanicThreshold = 0,
        });
    }

    [Fact]
    public void Parse_OutlierEnableFalse_SwitchesOffAndKeepsOtherDefaults()
    {
        var outlier = ParseOk("{" + OneServer + ",'outlier':{'enable':false}}").Outlier;

        outlier.Enabled.ShouldBeFalse();
        (outlier with { Enabled = true }).ShouldBe(OutlierOptions.Default);
    }

    [Theory]
    [InlineData("'mode':'x'", "mode: unknown balancing mode \"x\" (expected rr wrr hash url_hash ip_hash header_hash least_conn ewma)")]
    [InlineData("'mode':'HASH'", "mode: unknown balancing mode \"HASH\" (expected rr wrr hash url_hash ip_hash header_hash least_conn ewma)")]
    [InlineData("'mode':1", "mode: must be a string naming a balancing mode")]
    [InlineData("'mode':null", "mode: must be a string naming a balancing mode")]
    [InlineData("'outlier':true", "outlier: must be an object")]
    [InlineData("'outlier':{'enabled':false}", "unknown field \"outlier.enabled\"")]
    [InlineData("'outlier':{'factor':1,'factor':2}", "duplicate field \"outlier.factor\"")]
    [InlineData("'outlier':{'enable':'no'}", "outlier.enable: must be a boolean, not a string")]
    [InlineData("'outlier':{'window':0}", "outlier.window: must be a number of seconds > 0 and <= 86400")]
    [InlineData("'outlier':{'min_requests':0}", "outlier.min_requests: must be an integer >= 1")]
    [InlineData("'outlier':{'factor':0}", "outlier.factor: must be a number > 0")]
    [InlineData("'outlier':{'factor':'3'}", "outlier.factor: must be a number > 0, not a string")]
    [InlineData("'outlier':{'consecutive_5xx':-1}", "outlier.consecutive_5xx: must be an integer >= 0 (0 turns the rule off)")]
    [InlineData("'outlier':{'max_ejection_percent':101}", "outlier.max_ejection_percent: must be an integer in 0..100")]
    [InlineData("'outlier':{'max_ejection_percent':50.5}", "outlier.max_ejection_percent: must be an integer in 0..100")]
    [InlineData("'outlier':{'base_ejection_time':-1}", "outlier.base_ejection_time: must be a number of seconds > 0 and <= 86400")]
    [InlineData("'outlier':{'max_ejection_time':86401}", "outlier.max_ejection_time: must be a number of seconds > 0 and <= 86400")]
    [InlineData("'outlier':{'base_ejection_time':60,'max_ejection_time':30}", "outlier.max_ejection_time: must be >= base_ejection_time")]
    [InlineData("'outlier':{'panic_threshold':-5}", "outlier.panic_threshold: must be an integer in 0..100")]
    public void Parse_BadBalancingField_NamesTheField(string fields, string expected)
    {
        Parse("{" + OneServer + "," + fields + "}").Error.ShouldBe(expected);
    }

    [Theory]
    [InlineData("{'cluster':{}}", "cluster invalid: empty")]
    [InlineData("{'cluster':{'':{'servers':[{'host':'a','port':1}]}}}", "cluster invalid: a level name is empty")]
    [InlineData("{'cluster':{'dc1':{'servers':[{'host':'a','port':1}]},'DC1':{'servers':[{'host':'b','port':1}]}}}", "duplicate field \"cluster.DC1\"")]
    [InlineData("{'cluster':{'dc1':[]}}", "cluster.dc1: level must be an object")]
    [InlineData("{'cluster':{'dc1':{'servers':[]}}}", "cluster.dc1.servers invalid: empty")]
    [InlineData("{'cluster':{'dc1':{'servers':[{'host':'a','port':0}]}}}", "cluster.dc1.servers[0].port: must be an integer in 1..65535")]
    public void Parse_BadNamedCluster_NamesTheLevel(string json, string expected)
    {
        Parse(json).Error.ShouldBe(expected);
    }

    [Theory]
    [InlineData("dc1", 0)]
    [InlineData("DC2", 1)]
    [InlineData("1", -1)]
    [InlineData("dc3", -1)]
    public void IndexOfLevel_NamedLevels_MatchesNamesOnly(string key, int expected)
    {
        var config = ParseOk("{'cluster':{'dc1':{" + OneServer + "},'dc2':{" + OneServer + "}}}");

        config.IndexOfLevel(key).ShouldBe(expected);
    }

    [Theory]
    [InlineData("1", 0)]
    [InlineData("2", 1)]
    [InlineData("0", -1)]
    [InlineData("3", -1)]
    [InlineData("-1", -1)]
    [InlineData(" 1", -1)]
    [InlineData("dc1", -1)]
    public void IndexOfLevel_ArrayLevels_MatchesOneBasedIndices(string key, int expected)
    {
        var config = ParseOk("{'cluster':[{" + OneServer + "},{" + OneServer + "}]}");

        config.IndexOfLevel(key).ShouldBe(expected);
    }

    [Fact]
    public void Read_Configuration_NamedLevelsModeAndOutlier()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Upstreams:up:cluster:DC1:servers:0:host"] = "a",
                ["Upstreams:up:cluster:DC1:servers:0:port"] = "1",
                ["Upstreams:up:cluster:dc2:servers:0:host"] = "b",
                ["Upstreams:up:cluster:dc2:servers:0:port"] = "2",
                ["Upstreams:up:mode"] = "least_conn",
                ["Upstreams:up:outlier:consecutive_5xx"] = "3",
                ["Upstreams:up:outlier:enable"] = "true",
            })
            .Build()
            .GetSection("Upstreams");

        var config = UpstreamConfigurationReader.Read(section, out var errors).ShouldHaveSingleItem();

        errors.ShouldBeEmpty();
        config.Levels.Select(l => l.Name).ShouldBe(["dc1", "dc2"], "configuration keys are lower-cased and sorted");
        config.IndexOfLevel("DC2").ShouldBe(1);
        config.Mode.ShouldBe(BalancingMode.LeastConn);
        config.Outlier.ShouldBe(OutlierOptions.Default with { Consecutive5xx = 3 });
    }
}

using Microsoft.Extensions.Configuration;
using Shouldly;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>The script threads' and quarantine's configuration keys: defaults, values, and refusals naming the key.</summary>
public sealed class ScriptThreadSettingsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void FromConfiguration_Nothing_IsTheDefaults()
    {
        ScriptThreadSettings.FromConfiguration(Configuration()).ShouldBe(new ScriptThreadSettings(ScriptRuntime.DefaultStackMegabytes, ScriptRuntime.DefaultMaxThreads, ScriptRuntime.DefaultQueueTimeout));
        ScriptQuarantineOptions.FromConfiguration(Configuration()).ShouldBe(new ScriptQuarantineOptions(5, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void FromConfiguration_Values_AreRead()
    {
        var configuration = Configuration(("Scripts:Threads:StackMb", "64"), ("Scripts:Threads:Max", "8"), ("Scripts:Threads:QueueTimeoutMs", "250"), ("Scripts:Quarantine:Failures", "0"), ("Scripts:Quarantine:WindowSeconds", "2.5"));

        ScriptThreadSettings.FromConfiguration(configuration).ShouldBe(new ScriptThreadSettings(64, 8, TimeSpan.FromMilliseconds(250)));
        var quarantine = ScriptQuarantineOptions.FromConfiguration(configuration);
        quarantine.ShouldBe(new ScriptQuarantineOptions(0, TimeSpan.FromSeconds(2.5)));
        quarantine.Enabled.ShouldBeFalse();
    }

    [Theory]
    [InlineData("Scripts:Threads:StackMb", "0")]
    [InlineData("Scripts:Threads:StackMb", "big")]
    [InlineData("Scripts:Threads:Max", "0")]
    [InlineData("Scripts:Threads:QueueTimeoutMs", "0")]
    public void FromConfiguration_BadThreadValue_NamesTheKey(string key, string value)
    {
        Should.Throw<InvalidOperationException>(() => ScriptThreadSettings.FromConfiguration(Configuration((key, value)))).Message.ShouldContain(key);
    }

    [Theory]
    [InlineData("Scripts:Quarantine:Failures", "-1")]
    [InlineData("Scripts:Quarantine:WindowSeconds", "0")]
    public void FromConfiguration_BadQuarantineValue_NamesTheKey(string key, string value)
    {
        Should.Throw<InvalidOperationException>(() => ScriptQuarantineOptions.FromConfiguration(Configuration((key, value)))).Message.ShouldContain(key);
    }
}

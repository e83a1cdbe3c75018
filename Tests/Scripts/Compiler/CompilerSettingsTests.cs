using Microsoft.Extensions.Configuration;
using Shouldly;
using Slardar.Scriptable.Host.Scripts.Compiler;

namespace Slardar.Scriptable.Tests.Scripts.Compiler;

public sealed class CompilerSettingsTests
{
    [Fact]
    public void FromConfiguration_Nothing_IsTheDocumentedDefaults()
    {
        var settings = CompilerSettings.FromConfiguration(new ConfigurationBuilder().Build());

        (settings.Timeout, settings.MemoryLimitMb, settings.MaxSourceBytes, settings.MaxNestingDepth, settings.QueueLimit)
            .ShouldBe((TimeSpan.FromSeconds(10), 1024, 262144, 256, 64));
    }

    [Theory]
    [InlineData("TimeoutSeconds", "0")]
    [InlineData("MemoryLimitMb", "10")]
    [InlineData("MaxSourceBytes", "big")]
    [InlineData("MaxNestingDepth", "-1")]
    [InlineData("QueueLimit", "-1")]
    public void FromConfiguration_BadValue_NamesTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Scripts:Compiler:" + key, value)]).Build();

        Should.Throw<InvalidOperationException>(() => CompilerSettings.FromConfiguration(configuration)).Message.ShouldContain("Scripts:Compiler:" + key);
    }
}

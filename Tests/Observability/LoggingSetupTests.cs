using Microsoft.Extensions.Configuration;
using Serilog.Core;
using Shouldly;
using Slardar.Scriptable.Host.Observability;

namespace Slardar.Scriptable.Tests.Observability;

/// <summary>The process log read from configuration: the gateway's keys, then the standard Serilog section.</summary>
public sealed class LoggingSetupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slardar-logging-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CreateLogger_SerilogSection_ItsOverridesAndSinksApply()
    {
        var file = Path.Combine(_folder, "log.txt");
        var logger = LoggingSetup.CreateLogger(Configuration(new()
        {
            ["Logging:Console"] = "false",
            ["Serilog:MinimumLevel:Override:Noisy.Library"] = "Error",
            ["Serilog:WriteTo:0:Name"] = "File",
            ["Serilog:WriteTo:0:Args:path"] = file,
            ["Serilog:WriteTo:0:Args:outputTemplate"] = "{SourceContext} {Message:lj}{NewLine}",
        }));

        logger.ForContext(Constants.SourceContextPropertyName, "Noisy.Library").Warning("dropped");
        logger.ForContext(Constants.SourceContextPropertyName, "Noisy.Library").Error("kept");
        logger.ForContext(Constants.SourceContextPropertyName, "Slardar.Scriptable.Host").Information("also kept");
        await logger.DisposeAsync();

        (await File.ReadAllLinesAsync(file)).ShouldBe(["Noisy.Library kept", "Slardar.Scriptable.Host also kept"]);
    }

    [Fact]
    public async Task CreateLogger_SerilogDefaultLevel_WinsOverLoggingMinimumLevel()
    {
        var file = Path.Combine(_folder, "log.txt");
        var logger = LoggingSetup.CreateLogger(Configuration(new()
        {
            ["Logging:Console"] = "false",
            ["Logging:MinimumLevel"] = "Debug",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:WriteTo:0:Name"] = "File",
            ["Serilog:WriteTo:0:Args:path"] = file,
            ["Serilog:WriteTo:0:Args:outputTemplate"] = "{Message:lj}{NewLine}",
        }));

        logger.Information("dropped");
        logger.Warning("kept");
        await logger.DisposeAsync();

        (await File.ReadAllLinesAsync(file)).ShouldBe(["kept"]);
    }

    [Fact]
    public void CreateLogger_SerilogSectionWithAnUnknownLevel_RefusedAtStart()
    {
        var configuration = Configuration(new() { ["Logging:Console"] = "false", ["Serilog:MinimumLevel:Default"] = "Loud" });

        Should.Throw<Exception>(() => LoggingSetup.CreateLogger(configuration));
    }

    [Theory]
    [InlineData("Serilog:MinimumLevel:Default", "Warning", false)]
    [InlineData("Serilog:MinimumLevel", "Error", false)]
    [InlineData("Serilog:MinimumLevel:Override:Slardar.AccessLog", "Warning", false)]
    [InlineData("Serilog:MinimumLevel:Default", "Debug", true)]
    public void AccessLogSinks_SerilogSectionLevels_DecideTheConsoleLines(string key, string level, bool consoleLines)
    {
        var sinks = LoggingSetup.AccessLogSinksFrom(Configuration(new() { [key] = level }), enabled: true);

        sinks.ConsoleLines.ShouldBe(consoleLines);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}

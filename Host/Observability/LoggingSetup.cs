using Serilog;
using Serilog.Events;
using Serilog.Filters;
using Serilog.Formatting.Json;
using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Observability;

/// <summary>
/// Builds the process's Serilog logger from configuration: the gateway's own keys (<c>Logging:*</c>,
/// <c>AccessLog:*</c>) first, then the standard <c>Serilog</c> section (Serilog.Settings.Configuration).
/// </summary>
internal static class LoggingSetup
{
    public const string AccessLogCategory = "Slardar.AccessLog";

    public const string SectionName = "Serilog";

    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var minimum = GatewayMinimumLevel(configuration);
        // Per-source overrides (Microsoft, Yarp...) live in appsettings.json's Serilog section.
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext();

        if (ConsoleEnabled(configuration))
        {
            // Access-log lines reach the console from AccessLogWriter, batched, in the same layout.
            logger.WriteTo.Logger(sub => sub
                .Filter.ByExcluding(Matching.FromSource(AccessLogCategory))
                .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"));
        }

        if (configuration["AccessLog:File"] is { Length: > 0 } path)
        {
            // A rolling file of JSON lines with the access-log fields as properties, for log shippers.
            logger.WriteTo.Logger(sub => sub
                .Filter.ByIncludingOnly(Matching.FromSource(AccessLogCategory))
                .WriteTo.File(new JsonFormatter(renderMessage: false), path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));
        }

        // Last, so what an operator writes there wins over the defaults above: MinimumLevel (Default,
        // Override), Enrich, and WriteTo for more sinks.
        if (configuration.GetSection(SectionName).Exists())
        {
            logger.ReadFrom.Configuration(configuration);
        }

        return logger.CreateLogger();
    }

    /// <summary>Where the access log goes: the console and the file follow the same switches as the process log.</summary>
    public static AccessLogSinks AccessLogSinksFrom(IConfiguration configuration, bool enabled)
    {
        var informational = AccessLogLevel(configuration) <= LogEventLevel.Information;
        return enabled
            ? new AccessLogSinks(true, informational && ConsoleEnabled(configuration), informational && configuration["AccessLog:File"] is { Length: > 0 })
            : AccessLogSinks.Off;
    }

    /// <summary>The level the access-log category logs at: its own override, else the minimum, from the same keys the logger reads.</summary>
    private static LogEventLevel AccessLogLevel(IConfiguration configuration) =>
        Parse(configuration[$"{SectionName}:MinimumLevel:Override:{AccessLogCategory}"])
        ?? Parse(configuration[$"{SectionName}:MinimumLevel:Default"])
        ?? Parse(configuration[$"{SectionName}:MinimumLevel"])
        ?? GatewayMinimumLevel(configuration);

    private static LogEventLevel GatewayMinimumLevel(IConfiguration configuration) =>
        Parse(configuration["Logging:MinimumLevel"]) ?? LogEventLevel.Information;

    private static LogEventLevel? Parse(string? level) =>
        Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var parsed) ? parsed : null;

    private static bool ConsoleEnabled(IConfiguration configuration) =>
        ConfigurationValues.ReadBoolean(configuration, string.Empty, "Logging:Console", fallback: true);
}

using Serilog;
using Serilog.Events;
using Serilog.Filters;
using Serilog.Formatting.Json;
using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Observability;

/// <summary>Builds the process's Serilog logger from configuration (<c>Logging:*</c>, <c>AccessLog:*</c>).</summary>
internal static class LoggingSetup
{
    public const string AccessLogCategory = "Slardar.AccessLog";

    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var minimum = MinimumLevel(configuration);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            // YARP logs every failed try as a warning; the balancer loop logs them with more context.
            .MinimumLevel.Override("Yarp", LogEventLevel.Error)
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

        return logger.CreateLogger();
    }

    /// <summary>Where the access log goes: the console and the file follow the same switches as the process log.</summary>
    public static AccessLogSinks AccessLogSinksFrom(IConfiguration configuration, bool enabled)
    {
        var informational = MinimumLevel(configuration) <= LogEventLevel.Information;
        return enabled
            ? new AccessLogSinks(true, informational && ConsoleEnabled(configuration), informational && configuration["AccessLog:File"] is { Length: > 0 })
            : AccessLogSinks.Off;
    }

    private static LogEventLevel MinimumLevel(IConfiguration configuration) =>
        Enum.TryParse<LogEventLevel>(configuration["Logging:MinimumLevel"], ignoreCase: true, out var level) ? level : LogEventLevel.Information;

    private static bool ConsoleEnabled(IConfiguration configuration) =>
        ConfigurationValues.ReadBoolean(configuration, string.Empty, "Logging:Console", fallback: true);
}

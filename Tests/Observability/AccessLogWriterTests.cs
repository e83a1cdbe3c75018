using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Slardar.Scriptable.Host.Observability;

namespace Slardar.Scriptable.Tests.Observability;

public sealed class AccessLogWriterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 9, 8, 7, TimeSpan.Zero);

    private static AccessLogEntry Entry(string uri, int status = 200, int? errorCode = null) => new(
        At, "127.0.0.1", "a.example.com", "GET", uri, status, "api", "127.0.0.1:9001, 127.0.0.1:9002", "502, 200", "0.004, 0.012",
        0.016, 0.0205, 2, errorCode, "curl/8.5", "-");

    [Fact]
    public async Task Write_ConsoleLines_OneLinePerEntryInTheConsoleLayoutAndOrder()
    {
        var console = new StringWriter();
        var writer = new AccessLogWriter(new AccessLogSinks(true, ConsoleLines: true, Structured: false), NullLoggerFactory.Instance, console);

        writer.Write(Entry("/one?x=1"));
        writer.Write(Entry("/two", 503, errorCode: 50300001));
        await writer.DisposeAsync();

        var lines = console.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        var time = At.ToLocalTime().ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        lines[0].ShouldBe(
            $"[{time} INF] Slardar.AccessLog: 127.0.0.1 \"GET a.example.com/one?x=1\" 200 upstream=api upstream_addr=\"127.0.0.1:9001, 127.0.0.1:9002\" "
            + "upstream_status=\"502, 200\" upstream_response_time=\"0.004, 0.012\" upstream_time=0.016 request_time=0.0205 tries=2 x_error_code=- "
            + "user_agent=\"curl/8.5\" referer=\"-\"");
        lines[1].ShouldContain("\"GET a.example.com/two\" 503 ");
        lines[1].ShouldContain(" x_error_code=50300001 ");
    }

    [Fact]
    public async Task Write_ConsoleLinesOff_WritesNothingToTheConsoleButStillReportsEachEntry()
    {
        var console = new StringWriter();
        var writer = new AccessLogWriter(new AccessLogSinks(true, ConsoleLines: false, Structured: false), NullLoggerFactory.Instance, console);
        var written = new List<string>();
        writer.Written += entry => written.Add(entry.Uri);

        writer.Write(Entry("/one"));
        writer.Write(Entry("/two"));
        await writer.DisposeAsync();

        console.ToString().ShouldBeEmpty();
        written.ShouldBe(["/one", "/two"]);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task Write_Structured_HandsEventsToTheLoggerOnlyWhenAFileWantsThem(bool structured, int expected)
    {
        var events = new CountingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(events));
        var writer = new AccessLogWriter(new AccessLogSinks(true, ConsoleLines: false, Structured: structured), factory, new StringWriter());

        writer.Write(Entry("/one"));
        await writer.DisposeAsync();

        events.Count(LoggingSetup.AccessLogCategory).ShouldBe(expected);
    }

    [Fact]
    public async Task Write_ConsoleBroken_CountsTheLostLinesAndKeepsLogging()
    {
        var writer = new AccessLogWriter(new AccessLogSinks(true, ConsoleLines: true, Structured: false), NullLoggerFactory.Instance, new BrokenWriter());
        var written = new List<string>();
        writer.Written += entry => written.Add(entry.Uri);

        writer.Write(Entry("/one"));
        writer.Write(Entry("/two"));
        await writer.DisposeAsync();

        writer.Dropped.ShouldBe(2);
        written.ShouldBe(["/one", "/two"]);
    }

    [Fact]
    public async Task Write_Disabled_QueuesNothing()
    {
        var console = new StringWriter();
        var writer = new AccessLogWriter(AccessLogSinks.Off, NullLoggerFactory.Instance, console);
        var written = 0;
        writer.Written += _ => written++;

        writer.Write(Entry("/one"));
        await writer.DisposeAsync();

        (console.ToString(), written).ShouldBe((string.Empty, 0));
    }

    [Theory]
    [InlineData(null, null, null, true, true, false)]
    [InlineData("false", null, null, true, false, false)]
    [InlineData(null, "Warning", "access.json", true, false, false)]
    [InlineData(null, "Debug", "access.json", true, true, true)]
    [InlineData(null, null, "access.json", false, false, false)]
    public void AccessLogSinks_FollowTheProcessLogSwitches(string? console, string? level, string? file, bool enabled, bool consoleLines, bool structured)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:Console"] = console,
            ["Logging:MinimumLevel"] = level,
            ["AccessLog:File"] = file,
        }).Build();

        var sinks = LoggingSetup.AccessLogSinksFrom(configuration, enabled);

        (sinks.Enabled, sinks.ConsoleLines, sinks.Structured).ShouldBe((enabled, consoleLines, structured));
    }

    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(string? value) => throw new IOException("Broken pipe");
    }

    private sealed class CountingLoggerProvider : ILoggerProvider
    {
        private readonly Dictionary<string, int> _counts = [];

        public int Count(string category)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(category);
            }
        }

        public ILogger CreateLogger(string categoryName) => new CountingLogger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class CountingLogger(CountingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner._counts)
                {
                    owner._counts[category] = owner._counts.GetValueOrDefault(category) + 1;
                }
            }
        }
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>A script's log as the logger sees it: lines capped at 4 KiB, a token bucket per script.</summary>
public sealed class ScriptLogAdapterTests
{
    private static readonly ScriptKey Key = new("app.test", ScriptPhase.Rewrite);

    private static (ScriptLogAdapter Log, ScriptLogLimiter Limiter, LogCapture Capture, ILoggerFactory Factory) Create(FakeTimeProvider clock, int linesPerSecond = 100)
    {
        var capture = new LogCapture();
        var factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(capture));
        var limiter = new ScriptLogLimiter(new ScriptLogOptions(linesPerSecond), clock);
        return (new ScriptLogAdapter(factory, Key, limiter), limiter, capture, factory);
    }

    [Fact]
    public void Warn_LineOfAMegabyte_IsCutTo4KiBWithAMarker()
    {
        var (log, _, capture, factory) = Create(new FakeTimeProvider());
        using var _ = factory;

        log.Warn(new string('x', 1_000_000));

        var line = capture.Lines.ShouldHaveSingleItem();
        line.Message.ShouldBe($"script app.test: {new string('x', 4096)}…[truncated {1_000_000 - 4096} chars]");
    }

    [Fact]
    public void Info_ShortLine_IsWrittenAsIs()
    {
        var (log, _, capture, factory) = Create(new FakeTimeProvider());
        using var _ = factory;

        log.Info(new string('y', 4096));

        capture.Lines.ShouldHaveSingleItem().Message.ShouldBe($"script app.test: {new string('y', 4096)}");
    }

    [Fact]
    public void Warn_200LinesOfAMegabyte_WriteAtMost200Times4KiB()
    {
        var (log, _, capture, factory) = Create(new FakeTimeProvider());
        using var _ = factory;
        var megabyte = new string('x', 1_000_000);

        for (var i = 0; i < 200; i++)
        {
            log.Warn(megabyte);
        }

        capture.Lines.Count.ShouldBe(200);
        capture.Lines.Sum(l => (long)l.Message.Length).ShouldBeLessThan(200L * 4200);
    }

    [Fact]
    public void Warn_PastTheBurst_IsDroppedCountedAndRefilledByTheClock()
    {
        var clock = new FakeTimeProvider();
        var (log, limiter, capture, factory) = Create(clock);
        using var _ = factory;

        for (var i = 0; i < 300; i++)
        {
            log.Warn($"line {i}");
        }

        capture.Lines.Count.ShouldBe(200);
        limiter.Dropped.ShouldBe(100);

        clock.Advance(TimeSpan.FromMilliseconds(500));
        for (var i = 0; i < 60; i++)
        {
            log.Warn($"later {i}");
        }

        // Half a second gives 50 lines; the first says how many were dropped before it.
        var later = capture.Lines.Skip(200).ToList();
        later[0].Message.ShouldBe("script app.test: 100 log lines dropped (app.test/rewrite logs more than Scripts:Log:LinesPerSecond allows)");
        later.Skip(1).Select(l => l.Message).ShouldBe(Enumerable.Range(0, 50).Select(i => $"script app.test: later {i}"));
        limiter.Dropped.ShouldBe(110);
    }

    [Fact]
    public void Warn_RateZero_IsUnlimited()
    {
        var (log, limiter, capture, factory) = Create(new FakeTimeProvider(), linesPerSecond: 0);
        using var _ = factory;

        for (var i = 0; i < 1000; i++)
        {
            log.Warn("x");
        }

        capture.Lines.Count.ShouldBe(1000);
        limiter.Dropped.ShouldBe(0);
    }

    [Fact]
    public void Debug_LevelNobodyWrites_CostsNoToken()
    {
        var clock = new FakeTimeProvider();
        var capture = new LogCapture();
        using var factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(capture));
        var limiter = new ScriptLogLimiter(new ScriptLogOptions(1), clock);
        var log = new ScriptLogAdapter(factory, Key, limiter);

        for (var i = 0; i < 10; i++)
        {
            log.Debug("quiet");
        }

        log.Warn("a");
        log.Warn("b");

        capture.Lines.Select(l => l.Message).ShouldBe(["script app.test: a", "script app.test: b"]);
        limiter.Dropped.ShouldBe(0);
    }
}

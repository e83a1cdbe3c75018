using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Services.Limits;

namespace Slardar.Scriptable.Tests.Services.Limits;

public sealed class LocalLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryAcquire_NewKey_BurstPlusOnePassThenRefusedWithRetryAfter()
    {
        var limiter = new LocalLimiter(_time);

        var admitted = Enumerable.Range(0, 25).Select(_ => limiter.TryAcquire("l", "k", rate: 10, capacity: 21)).ToArray();

        admitted.Count(d => d.Allowed).ShouldBe(21);
        admitted[0].Remaining.ShouldBe(20);
        admitted[20].Remaining.ShouldBe(0);
        var refused = admitted[21];
        refused.Allowed.ShouldBeFalse();
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(0.1), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void TryAcquire_AfterRetryAfter_OneMorePasses()
    {
        var limiter = new LocalLimiter(_time);
        limiter.TryAcquire("l", "k", 10, 1).Allowed.ShouldBeTrue();
        var refused = limiter.TryAcquire("l", "k", 10, 1);

        _time.Advance(refused.RetryAfter);

        limiter.TryAcquire("l", "k", 10, 1).Allowed.ShouldBeTrue();
        limiter.TryAcquire("l", "k", 10, 1).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void TryAcquire_KeysAndLimitsCountApart()
    {
        var limiter = new LocalLimiter(_time);
        limiter.TryAcquire("l", "a", 1, 1).Allowed.ShouldBeTrue();

        limiter.TryAcquire("l", "b", 1, 1).Allowed.ShouldBeTrue();
        limiter.TryAcquire("other", "a", 1, 1).Allowed.ShouldBeTrue();
        limiter.TryAcquire("l", "a", 1, 1).Allowed.ShouldBeFalse();
    }

    [Fact]
    public void TryAcquire_FiveTimesTheRateForTenSeconds_AdmitsRateTimesTimePlusBurstWithinFivePercent()
    {
        var limiter = new LocalLimiter(_time);
        const double rate = 100;
        const int burst = 20;
        var admitted = 0;

        // 500 requests per second, evenly spaced, for 10 s.
        for (var i = 0; i < 5000; i++)
        {
            admitted += limiter.TryAcquire("l", "k", rate, burst + 1).Allowed ? 1 : 0;
            _time.Advance(TimeSpan.FromMilliseconds(2));
        }

        var expected = (rate * 10) + burst;
        admitted.ShouldBeInRange((int)(expected * 0.95), (int)(expected * 1.05));
    }

    [Fact]
    public void TryAcquire_KeyFlood_BoundedByOneOverflowBucketPerLimit()
    {
        var limiter = new LocalLimiter(_time);
        for (var i = 0; i < LocalLimiter.MaxKeys; i++)
        {
            limiter.TryAcquire("l", "k" + i, 1, 1);
        }

        var first = limiter.TryAcquire("l", "new-1", 1, 1);
        var second = limiter.TryAcquire("l", "new-2", 1, 1);

        limiter.Count.ShouldBe(LocalLimiter.MaxKeys + 1);
        first.Allowed.ShouldBeTrue();
        second.Allowed.ShouldBeFalse(); // both new keys share the overflow bucket
        _time.Advance(TimeSpan.FromSeconds(2));
        limiter.TryAcquire("l", "new-3", 1, 1).Allowed.ShouldBeTrue();
        limiter.Count.ShouldBeLessThan(10); // drained buckets were swept
    }
}

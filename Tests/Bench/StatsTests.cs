using Shouldly;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Tests.Bench;

public sealed class StatsTests
{
    [Fact]
    public void Median_OddAndEvenCounts_NearestRank()
    {
        (Stats.Median([5, 1, 3]), Stats.Median([4, 1, 3, 2])).ShouldBe((3, 2));
    }

    [Fact]
    public void Percentile_99OfAHundred_IsTheNinetyNinthSmallest()
    {
        Stats.Percentile(Enumerable.Range(1, 100).Select(i => (double)i), 99).ShouldBe(99);
    }

    [Fact]
    public void Ratio_AgainstZeroOrMissing_IsNotAvailable()
    {
        (Stats.Ratio(3, 2), Stats.Ratio(1, 0), Stats.Ratio(double.NaN, 1)).ShouldBe(("1.50×", "n/a", "n/a"));
    }
}

using Shouldly;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Tests.Observability.Metrics;

public sealed class TrafficTotalsTests
{
    [Fact]
    public void Totals_RequestsAndTries_SummedPerUpstreamStatusClassAndPeer()
    {
        using var metrics = new GatewayMetrics();
        using var totals = new TrafficTotals(metrics.Meter);

        metrics.RecordRequest("web", 200);
        metrics.RecordRequest("web", 204);
        metrics.RecordRequest("web", 503);
        metrics.RecordRequest("api", 200);
        metrics.RecordTry("web", "10.0.0.1:80", TryOutcome.Ok, TimeSpan.FromMilliseconds(3));
        metrics.RecordTry("web", "10.0.0.1:80", TryOutcome.Error, TimeSpan.FromMilliseconds(1));
        metrics.RecordTry("web", "10.0.0.2:80", TryOutcome.Ok, TimeSpan.FromMilliseconds(2));

        totals.Requests.ShouldBe(new Dictionary<(string, string), long>
        {
            [("web", "2xx")] = 2,
            [("web", "5xx")] = 1,
            [("api", "2xx")] = 1,
        }, ignoreOrder: true);
        totals.Tries[("web", "10.0.0.1:80")].ShouldBe(2);
        totals.Tries[("web", "10.0.0.2:80")].ShouldBe(1);
    }

    [Fact]
    public void Totals_AnotherGatewaysMeter_IsNotCounted()
    {
        using var mine = new GatewayMetrics();
        using var other = new GatewayMetrics();
        using var totals = new TrafficTotals(mine.Meter);

        other.RecordRequest("web", 200);
        other.RecordTry("web", "10.0.0.1:80", TryOutcome.Ok, TimeSpan.Zero);

        totals.Requests.ShouldBeEmpty();
        totals.Tries.ShouldBeEmpty();
    }
}

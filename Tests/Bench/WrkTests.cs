using Shouldly;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Tests.Bench;

/// <summary>The published figures are only as right as the parse of wrk's report.</summary>
public sealed class WrkTests
{
    private const string Report = """
        Running 5s test @ http://127.0.0.1:19200/
          1 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     3.08ms    1.10ms  22.17ms   84.52%
            Req/Sec    16.08k   754.55    17.43k    78.00%
          Latency Distribution
             50%  812.00us
             75%    3.33ms
             90%    3.93ms
             99%    1.02s
          80004 requests in 5.00s, 13.20MB read
          Socket errors: connect 1, read 2, write 3, timeout 4
          Non-2xx or 3xx responses: 12
        Requests/sec:  16005.59
        Transfer/sec:      2.64MB
        """;

    [Fact]
    public void Parse_FullReport_ReadsRateCountsAndPercentilesInMilliseconds()
    {
        Wrk.Parse(Report).ShouldBe(new WrkResult(16005.59, 80004, 0.812, 1020, 12, 10));
    }

    [Fact]
    public void Parse_CleanRun_HasNoErrors()
    {
        var clean = Report.Replace("  Socket errors: connect 1, read 2, write 3, timeout 4\n", string.Empty, StringComparison.Ordinal)
            .Replace("  Non-2xx or 3xx responses: 12\n", string.Empty, StringComparison.Ordinal);

        var result = Wrk.Parse(clean);

        (result.Non2xx, result.SocketErrors).ShouldBe((0, 0));
    }

    [Fact]
    public void Parse_NoLatencyDistribution_SaysWhatIsMissing()
    {
        Should.Throw<FormatException>(() => Wrk.Parse("Requests/sec: 1.0\n10 requests in 1.00s")).Message.ShouldContain("50%");
    }
}

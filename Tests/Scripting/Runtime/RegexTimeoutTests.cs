using System.Text.RegularExpressions;
using Shouldly;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

/// <summary>Every regex a script runs has a match timeout bounded by the script's remaining budget.</summary>
public sealed class RegexTimeoutTests
{
    // Catastrophic backtracking: 2^30 paths before the match fails on the '!'.
    private static readonly string Evil = new string('a', 30) + "!";

    private static readonly ScriptLimits Generous = new(maxTicks: 1_000_000, maxDuration: TimeSpan.FromSeconds(30), maxDepth: 100);

    public static TheoryData<string> Backtracking => new()
    {
        "var evil = Request.Headers[\"X-A\"] ?? \"\";\nreturn Regex.IsMatch(evil, \"^(a+)+$\") ? Exit(200) : Exit(404);",
        "var evil = Request.Headers[\"X-A\"] ?? \"\";\nreturn new Regex(\"^(a+)+$\").IsMatch(evil) ? Exit(200) : Exit(404);",
        "var evil = Request.Headers[\"X-A\"] ?? \"\";\nRegex r = new(\"^(a+)+$\", RegexOptions.None);\nreturn r.Match(evil).Success ? Exit(200) : Exit(404);",
        "var evil = Request.Headers[\"X-A\"] ?? \"\";\nreturn Regex.Replace(evil, \"^(a+)+$\", \"x\", RegexOptions.None, TimeSpan.FromMinutes(5)) == \"x\" ? Exit(200) : Exit(404);",
        "var evil = Request.Headers[\"X-A\"] ?? \"\";\nreturn Regex.Count(pattern: \"^(a+)+$\", input: evil) > 0 ? Exit(200) : Exit(404);",
        "var evil = Request.Headers[\"X-A\"] ?? \"\";\nFunc<string, bool> check = s => Regex.IsMatch(s, \"^(a+)+$\");\nreturn check(evil) ? Exit(200) : Exit(404);",
    };

    [Theory]
    [MemberData(nameof(Backtracking))]
    public async Task RunAsync_CatastrophicRegex_StopsAtTheBudgetAsADurationOverrun(string source)
    {
        // Issue 11: ran 8.5 s against a 50 ms budget. Now the match times out with the budget and
        // the outcome is a budget overrun, not a fault.
        var request = new FakeScriptRequest();
        request.Headers["X-A"] = Evil;
        var limits = ScriptLimits.Default with { MaxDuration = TimeSpan.FromMilliseconds(50) };

        var outcome = await TestScripts.RunAsync(source, TestScripts.Context(request), limits: limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded, outcome.Failure?.Message);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Duration);
    }

    [Fact]
    public async Task RunAsync_RegexTimeoutTheScriptChose_IsTheScriptsOwnFailure()
    {
        var request = new FakeScriptRequest();
        request.Headers["X-A"] = Evil;
        const string source = "var evil = Request.Headers[\"X-A\"] ?? \"\";\nreturn Regex.IsMatch(evil, \"^(a+)+$\", RegexOptions.None, TimeSpan.FromMilliseconds(5)) ? Exit(200) : Exit(404);";

        var outcome = await TestScripts.RunAsync(source, TestScripts.Context(request), limits: Generous);

        outcome.Status.ShouldBe(ScriptRunStatus.Faulted);
        outcome.Failure!.ExceptionType.ShouldBe(typeof(RegexMatchTimeoutException).FullName);
    }

    [Fact]
    public async Task RunAsync_RewrittenRegexCalls_KeepTheirMeaning()
    {
        const string source = """
            var checks = new List<bool>
            {
                Regex.IsMatch("abc", "B", RegexOptions.IgnoreCase),
                Regex.IsMatch(pattern: "^a", input: "abc"),
                Regex.Replace("a-b-c", "-", m => "+") == "a+b+c",
                Regex.Replace("a-b", "-", "+", RegexOptions.None) == "a+b",
                Regex.Split("a,b,c", ",").Length == 3,
                Regex.Count("aaa", "a") == 3,
                Regex.Matches("a1b2", @"\d").Count == 2,
                Regex.Match("key=value", "(?<k>\\w+)=(?<v>\\w+)").Groups["v"].Value == "value",
                new Regex("x", RegexOptions.IgnoreCase).IsMatch("X"),
                new Regex("y", RegexOptions.None, TimeSpan.FromSeconds(1)).MatchTimeout <= TimeSpan.FromSeconds(1),
                Regex.EnumerateMatches("aXa", "a").GetEnumerator().MoveNext(),
            };
            return checks.All(c => c) ? Exit(200) : Exit(500, string.Join(",", checks));
            """;

        var outcome = await TestScripts.RunAsync(source, limits: Generous);

        outcome.Status.ShouldBe(ScriptRunStatus.Completed, outcome.Failure?.Message);
        outcome.Result.Status.ShouldBe(200, outcome.Result.Body);
    }

    [Fact]
    public async Task RunAsync_RegexBuiltByTheScript_HasTheBudgetsTimeout()
    {
        const string source = """
            var regex = new Regex("a");
            return regex.MatchTimeout > TimeSpan.Zero && regex.MatchTimeout <= TimeSpan.FromSeconds(30) * 1.125 ? Exit(200) : Exit(500, regex.MatchTimeout.ToString());
            """;

        var outcome = await TestScripts.RunAsync(source, limits: Generous);

        outcome.Result.Status.ShouldBe(200, outcome.Result.Body);
    }

    public static TheoryData<double, double, double> Timeouts => new()
    {
        // remaining ms (-1: no time limit), requested ms (-1: none), expected ms
        { 48, -1, 48 },
        { 50, -1, 52 },
        { 49.2, -1, 52 },
        { 3, -1, 3 },
        { 1000, -1, 1024 },
        { 0, -1, 1 },
        { 0.2, -1, 1 },
        { 50, 10, 10 },
        { 50, 1000, 52 },
        { -1, -1, -1 },
        { -1, 10, 10 },
    };

    [Theory]
    [MemberData(nameof(Timeouts))]
    public void RegexTimeout_RemainingAndRequested_TakesTheSmallerWithTheRemainingRoundedUpByAnEighthAtMost(double remaining, double requested, double expected)
    {
        static TimeSpan Ms(double ms) => ms < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);

        ScriptBase.RegexTimeout(Ms(remaining), Ms(requested)).ShouldBe(Ms(expected));
    }
}

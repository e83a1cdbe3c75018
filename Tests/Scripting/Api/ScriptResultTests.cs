using Shouldly;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Api;

public sealed class ScriptResultTests
{
    [Fact]
    public void Next_IsTheDefault()
    {
        ScriptResult.Next.ShouldBe(default);
        ScriptResult.Next.IsExit.ShouldBeFalse();
        ScriptResult.Next.Status.ShouldBe(0);
    }

    [Fact]
    public void Exit_ThreeDigits_IsAPlainStatus()
    {
        var result = ScriptResult.Exit(403);

        (result.IsExit, result.Status, result.Body, result.ContentType, result.ErrorCode).ShouldBe((true, 403, (string?)null, (string?)null, (int?)null));
    }

    [Fact]
    public void Exit_WithBody_DefaultsToPlainText()
    {
        ScriptResult.Exit(200, "ok").ContentType.ShouldBe("text/plain; charset=utf-8");
        ScriptResult.Exit(200, "{}", "application/json").ContentType.ShouldBe("application/json");
    }

    [Fact]
    public void Exit_SlardarExitTryCode_Is400WithErrorCodeAndJson()
    {
        var result = ScriptResult.Exit(40099999);

        (result.Status, result.ErrorCode, result.ContentType).ShouldBe((400, 40099999, "application/json"));
        result.Body.ShouldBe("{\"code\":40099999,\"msg\":\"Bad Request\"}");
    }

    [Theory]
    [InlineData(4031, 403)]
    [InlineData(50300000, 503)]
    [InlineData(2000000000, 200)]
    public void Exit_ErrorCode_StatusIsItsFirstThreeDigits(int code, int status)
    {
        var result = ScriptResult.Exit(code, "why");

        (result.Status, result.ErrorCode).ShouldBe((status, code));
    }

    [Fact]
    public void Exit_ErrorCodeMessage_IsJsonEscapedAndContentTypeIgnored()
    {
        var result = ScriptResult.Exit(40100001, "bad \"token\" <here>", "text/html");

        result.Body.ShouldBe("{\"code\":40100001,\"msg\":\"bad \\u0022token\\u0022 \\u003Chere\\u003E\"}");
        result.ContentType.ShouldBe("application/json");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(199)]
    [InlineData(600)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(6000000)]
    [InlineData(-403)]
    public void Exit_NotAStatus_Throws(int code)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ScriptResult.Exit(code));
    }

    [Theory]
    [InlineData("text/plain\r\nX-Injected: 1")]
    [InlineData("text/plain\n")]
    [InlineData("text/plain\0")]
    [InlineData("text/plain; charset=\u00fc")]
    public void Exit_ContentTypeThatWouldBreakTheHeader_Throws(string contentType)
    {
        Should.Throw<ArgumentException>(() => ScriptResult.Exit(200, "x", contentType)).ParamName.ShouldBe("contentType");
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    [InlineData(20400001)]
    public void Exit_BodyOnAStatusWithoutOne_Throws(int code)
    {
        Should.Throw<ArgumentException>(() => ScriptResult.Exit(code, "x"));
    }

    [Fact]
    public void Exit_NoBodyOn204_IsFine()
    {
        ScriptResult.Exit(204).Status.ShouldBe(204);
        ScriptResult.Exit(200, "x", "text/html;\tcharset=utf-8").ContentType.ShouldBe("text/html;\tcharset=utf-8");
    }
}

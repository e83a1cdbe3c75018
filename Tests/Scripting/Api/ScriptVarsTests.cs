using Shouldly;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Api;

public sealed class ScriptVarsTests
{
    private readonly ScriptVars _vars = new();

    [Fact]
    public void Indexer_Missing_IsNull()
    {
        _vars["nope"].ShouldBeNull();
        _vars.Contains("nope").ShouldBeFalse();
        _vars.Count.ShouldBe(0);
    }

    [Fact]
    public void Indexer_SetThenGet_RoundTrips_CaseSensitively()
    {
        _vars["user"] = "alice";

        _vars["user"].ShouldBe("alice");
        _vars["User"].ShouldBeNull();
        _vars.Count.ShouldBe(1);
    }

    [Fact]
    public void Indexer_SetNull_KeepsTheName()
    {
        _vars["user"] = null;

        _vars.Contains("user").ShouldBeTrue();
    }

    [Fact]
    public void TryGet_ChecksTheType()
    {
        _vars["count"] = 3;

        _vars.TryGet<int>("count", out var count).ShouldBeTrue();
        count.ShouldBe(3);
        _vars.TryGet<string>("count", out _).ShouldBeFalse();
        _vars.TryGet<int>("missing", out _).ShouldBeFalse();
    }

    [Fact]
    public void Remove_RemovesOnce()
    {
        _vars["a"] = 1;

        _vars.Remove("a").ShouldBeTrue();
        _vars.Remove("a").ShouldBeFalse();
        _vars.Count.ShouldBe(0);
    }
}

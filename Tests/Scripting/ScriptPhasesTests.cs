using Shouldly;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting;
using Xunit;

namespace Slardar.Scriptable.Tests.Scripting;

/// <summary>The one table of script phases, and the places that read it.</summary>
public sealed class ScriptPhasesTests
{
    [Fact]
    public void All_HasOneRowPerPhaseAtItsEnumIndex()
    {
        ScriptPhases.All.Select(p => p.Phase).ShouldBe(Enum.GetValues<ScriptPhase>());
        ScriptPhases.All.Select(p => p.Name).ShouldBeUnique();
        ScriptPhases.All.ShouldAllBe(p => !p.Name.Any(char.IsUpper));
    }

    [Fact]
    public void Default_IsRewrite_AsSlardarsOneScriptPerHost()
    {
        ScriptPhases.Default.Phase.ShouldBe(ScriptPhase.Rewrite);
        ScriptKey.TryCreate("a.test", null, out var key, out _).ShouldBeTrue();
        key.Phase.ShouldBe(ScriptPhase.Rewrite);
    }

    [Theory]
    [InlineData("rewrite", "Rewrite")]
    [InlineData("AUTH", "Auth")]
    [InlineData("balancer", "Balancer")]
    [InlineData("Content", "Content")]
    public void TryParse_KnownName_FindsItsRowCaseInsensitively(string name, string expected)
    {
        ScriptPhases.TryParse(name, out var model).ShouldBeTrue();
        model.Phase.ShouldBe(Enum.Parse<ScriptPhase>(expected));
    }

    [Theory]
    [InlineData("contents")]
    [InlineData("")]
    [InlineData("rewrite ")]
    public void TryCreate_UnknownPhase_IsRefusedNamingTheValidOnes(string phase)
    {
        var known = ScriptKey.TryCreate("a.test", phase, out _, out var error);

        known.ShouldBeFalse();
        error.ShouldNotBeNull().ShouldContain("expected one of rewrite, auth, content, balancer");
    }

    [Fact]
    public void StoreName_RoundTripsEveryPhase()
    {
        foreach (var phase in ScriptPhases.All)
        {
            // A connection-stage phase belongs to a stream listener's scripts.
            var key = new ScriptKey(phase.Stage == ScriptStage.Connection ? "stream:6380" : "a.test", phase.Phase);
            ScriptKey.TryParseStoreName(key.StoreName, out var parsed).ShouldBeTrue();
            parsed.ShouldBe(key);
        }
    }

    [Fact]
    public void HostScriptSet_HasASlotPerPhase()
    {
        var set = HostScriptSet.Empty;

        set.IsEmpty.ShouldBeTrue();
        ScriptPhases.All.ShouldAllBe(p => set[p.Phase] == null);
        set.First.ShouldBeNull();
    }

    [Fact]
    public void RequestStage_IsRewriteThenAuth_AndBalancerRunsPerTry()
    {
        ScriptPhases.RequestStage.Select(p => p.Phase).ShouldBe([ScriptPhase.Rewrite, ScriptPhase.Auth]);
        ScriptPhases.Of(ScriptPhase.Balancer).Stage.ShouldBe(ScriptStage.Try);
        ScriptPhases.Of(ScriptPhase.Balancer).IsAsync.ShouldBeFalse();
    }

    [Fact]
    public void Content_RunsAfterTheRequestStage_AwaitsAndIsNotPartOfIt()
    {
        var content = ScriptPhases.Of(ScriptPhase.Content);

        content.Stage.ShouldBe(ScriptStage.Content);
        content.IsAsync.ShouldBeTrue();
        content.BaseClass.ShouldBe("ContentScript");
        ScriptPhases.RequestStage.ShouldNotContain(content);
    }
}

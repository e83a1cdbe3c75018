using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts.Compiler;

/// <summary>
/// Sources that killed the gateway through Roslyn are refused with a 400 naming the limit, by the
/// gateway's bracket scan or the worker's syntax-depth check, and every other host keeps serving.
/// </summary>
public sealed class CompilerBombTests
{
    [Theory]
    [InlineData("braces")]
    [InlineData("whiles")]
    [InlineData("lambdas")]
    [InlineData("parentheses")]
    [InlineData("sum")]
    public async Task Post_DeeplyNestedSource_Is400NamingTheLimitAndOtherHostsServe(string bomb)
    {
        await using var backend = await TestBackend.StartAsync(_ => Task.CompletedTask);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("alive.test", backend.Address)));
        (await gateway.AdminAsync(HttpMethod.Post, "/script/alive.test/rewrite", """return Exit(200, "alive");""")).Status.ShouldBe(200);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/n.test/rewrite?dry_run=true", CompilerBombs.Get(bomb));

        status.ShouldBe(400);
        json!["msg"]!.GetValue<string>().ShouldContain("Scripts:Compiler:MaxNestingDepth");
        json["msg"]!.GetValue<string>().ShouldContain("256");
        using var alive = await gateway.GetAsync("alive.test");
        (await alive.Content.ReadAsStringAsync()).ShouldBe("alive");
    }

    [Fact]
    public async Task Post_SourceOverTheSizeLimit_Is400NamingTheLimit()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/n.test/rewrite?dry_run=true", "// " + new string('x', 300_000) + "\nreturn Next;");

        status.ShouldBe(400);
        json!["msg"]!.GetValue<string>().ShouldContain("Scripts:Compiler:MaxSourceBytes");
        json["msg"]!.GetValue<string>().ShouldContain("262144");
    }

    [Fact]
    public async Task Start_DeepScriptFile_StartsAndShowsTheScriptAsNotCompiling()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-test-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "Scripts", "deep.test"));
        await File.WriteAllTextAsync(Path.Combine(folder, "Scripts", "deep.test", "rewrite.csx"), CompilerBombs.Get("braces"));

        await using var gateway = await TestGateway.StartAsync(folder: folder);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Get, "/script/deep.test/rewrite");
        status.ShouldBe(200);
        json!["compile_state"]!.GetValue<string>().ShouldBe("error");
        json["last_error"]!["diagnostics"]![0]!["message"]!.GetValue<string>().ShouldContain("Scripts:Compiler:MaxNestingDepth");
    }
}

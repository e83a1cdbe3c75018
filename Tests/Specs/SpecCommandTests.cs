using Slardar.Scriptable.Host.Specs;

namespace Slardar.Scriptable.Tests.Specs;

/// <summary>The command line's spec run: readable output, exit 0 (all pass), 1 (a block failed), 2 (not a spec).</summary>
public sealed class SpecCommandTests
{
    [Fact]
    public async Task RunAsync_TheExampleHostsSpec_PassesWithExitCode0_AndABrokenCopyFailsWith1()
    {
        var repository = FindRepository();
        var folder = Directory.CreateTempSubdirectory("slardar-spec-cli-").FullName;
        var bad = Path.Combine(folder, "bad.spec");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(Path.Combine(repository, "Scripts", "hello.example", "rewrite.spec"))).Replace("Hello, Ada!", "Hello, Bob!", StringComparison.Ordinal));
        string[] settings =
        [
            $"--Scripts:Folder={Path.Combine(repository, "Scripts")}",
            $"--Scripts:Manifest={Path.Combine(repository, "scripts.json")}",
            "--Upstreams:demo:servers:0:host=127.0.0.1",
            "--Upstreams:demo:servers:0:port=9",
        ];

        var good = new StringWriter();
        var passed = await SpecCommand.RunAsync([Path.Combine(repository, "Scripts", "hello.example", "rewrite.spec"), .. settings], good);
        var failing = new StringWriter();
        var failed = await SpecCommand.RunAsync([bad, .. settings], failing);

        Assert.True(passed == 0, good.ToString());
        Assert.Contains("ok   1 - /hi answers from the module", good.ToString());
        Assert.Equal(1, failed);
        Assert.Contains("expected: Hello, Bob!", failing.ToString());
        Assert.Contains("actual:   Hello, Ada!", failing.ToString());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task RunAsync_TheDocsExamples_SlardarsOwnTestsPorted_Pass()
    {
        var repository = FindRepository();
        var empty = Directory.CreateTempSubdirectory("slardar-spec-docs-").FullName;
        var files = Directory.GetFiles(Path.Combine(repository, "docs", "specs"), "*.spec").Order(StringComparer.Ordinal).ToArray();
        var output = new StringWriter();

        var code = await SpecCommand.RunAsync([.. files, $"--Scripts:Folder={empty}", $"--Scripts:Manifest={Path.Combine(empty, "scripts.json")}"], output);

        Assert.True(code == 0, output.ToString());
        Assert.True(files.Length >= 3);
        Directory.Delete(empty, recursive: true);
    }

    [Fact]
    public async Task RunAsync_NotASpec_ExitsWith2()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("slardar-spec-cli-").FullName, "x.spec");
        await File.WriteAllTextAsync(file, "=== Test 1: x\n--- oops\n");
        var output = new StringWriter();

        var code = await SpecCommand.RunAsync([file, $"--Scripts:Folder={Path.GetDirectoryName(file)}", $"--Scripts:Manifest={file}.json"], output);

        Assert.Equal(2, code);
        Assert.Contains("not a spec: line 2: unknown section", output.ToString());
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slardar.Scriptable.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository not found above the test binary");
    }
}

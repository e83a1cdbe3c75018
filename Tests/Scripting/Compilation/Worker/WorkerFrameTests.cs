using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Compilation.Worker;

namespace Slardar.Scriptable.Tests.Scripting.Compilation.Worker;

public sealed class WorkerFrameTests
{
    [Fact]
    public async Task Request_RoundTripsThroughAStream()
    {
        var request = new WorkerCompileRequest(7, "return Next; // é", ScriptPhase.Balancer, "a.test/balancer.csx", true, 256, TimeSpan.FromSeconds(2.5));
        using var stream = new MemoryStream(request.Encode());

        var frame = await WorkerFrame.ReadAsync(stream);

        frame!.Value.Type.ShouldBe(WorkerFrameType.Compile);
        WorkerCompileRequest.Decode(frame.Value).ShouldBe(request);
        (await WorkerFrame.ReadAsync(stream)).ShouldBeNull();
    }

    [Fact]
    public async Task Reply_RoundTripsImageAndDiagnostics()
    {
        var reply = new WorkerCompileReply(9, WorkerOutcome.Compiled, string.Empty, [1, 2, 3], [4], [new ScriptDiagnostic(2, 5, "CS0168", "unused", ScriptDiagnostic.Warning)]);
        using var stream = new MemoryStream(reply.Encode());

        var decoded = WorkerCompileReply.Decode((await WorkerFrame.ReadAsync(stream))!.Value);

        (decoded.Id, decoded.Outcome).ShouldBe((9L, WorkerOutcome.Compiled));
        decoded.Image.ShouldBe(new byte[] { 1, 2, 3 });
        decoded.Pdb.ShouldBe(new byte[] { 4 });
        decoded.Diagnostics.ShouldBe([new ScriptDiagnostic(2, 5, "CS0168", "unused", ScriptDiagnostic.Warning)]);
    }

    [Fact]
    public async Task Request_WithModules_RoundTripsThem()
    {
        var request = new WorkerCompileRequest(8, "return Next;", ScriptPhase.Rewrite, "a.test/rewrite.csx", false, 256, TimeSpan.FromSeconds(1))
        {
            Modules = [new ScriptModule("acme.auth", "namespace Acme.Auth; // é"), new ScriptModule("b", "")],
            AllModules = true,
        };
        using var stream = new MemoryStream(request.Encode());

        var decoded = WorkerCompileRequest.Decode((await WorkerFrame.ReadAsync(stream))!.Value);

        decoded.Modules.ShouldBe(request.Modules);
        decoded.AllModules.ShouldBeTrue();
        decoded.ToCompileRequest().Modules.ShouldBe(request.Modules);
    }

    [Fact]
    public async Task Reply_RoundTripsModulesAndModuleFiles()
    {
        var diagnostic = new ScriptDiagnostic(4, 2, "CS1061", "no Lenght", ScriptDiagnostic.Error) { File = "_modules/acme.auth.cs" };
        var reply = new WorkerCompileReply(10, WorkerOutcome.Compiled, string.Empty, [1], [2], [diagnostic]) { Modules = ["acme.auth"] };
        using var stream = new MemoryStream(reply.Encode());

        var decoded = WorkerCompileReply.Decode((await WorkerFrame.ReadAsync(stream))!.Value);

        decoded.Diagnostics.ShouldBe([diagnostic]);
        decoded.Modules.ShouldBe(["acme.auth"]);
    }

    [Fact]
    public async Task ReadAsync_LengthBeyondTheLimit_IsABrokenStream()
    {
        using var stream = new MemoryStream([0xFF, 0xFF, 0xFF, 0x7F, 2]);

        await Should.ThrowAsync<InvalidDataException>(() => WorkerFrame.ReadAsync(stream));
    }
}

using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Slardar.Scriptable.Scripting.Compilation.Worker;

/// <summary>The worker's answer to one <see cref="WorkerCompileRequest"/>.</summary>
internal sealed record WorkerCompileReply(long Id, WorkerOutcome Outcome, string Message, ImmutableArray<byte> Image, ImmutableArray<byte> Pdb, ImmutableArray<ScriptDiagnostic> Diagnostics)
{
    /// <summary>The modules compiled into the image (<see cref="CompiledScript.Modules"/>).</summary>
    public ImmutableArray<string> Modules { get; init; } = [];

    public static WorkerCompileReply From(long id, ScriptCompileResult result) => result.Script is { } script
        ? new(id, WorkerOutcome.Compiled, string.Empty, script.Image, script.Pdb, result.Diagnostics) { Modules = script.Modules }
        : new(id, WorkerOutcome.Failed, string.Empty, [], [], result.Diagnostics);

    public static WorkerCompileReply Refused(long id, WorkerOutcome outcome, string message) => new(id, outcome, message, [], [], []);

    public byte[] Encode() => WorkerFrame.Encode(WorkerFrameType.Reply, writer =>
    {
        writer.Write(Id);
        writer.Write((byte)Outcome);
        writer.Write(Message);
        WriteBytes(writer, Image);
        WriteBytes(writer, Pdb);
        writer.Write(Diagnostics.Length);
        foreach (var diagnostic in Diagnostics)
        {
            writer.Write(diagnostic.Line);
            writer.Write(diagnostic.Column);
            writer.Write(diagnostic.Id);
            writer.Write(diagnostic.Message);
            writer.Write(diagnostic.Severity);
            writer.Write(diagnostic.File ?? string.Empty);
        }

        writer.Write(Modules.Length);
        foreach (var module in Modules)
        {
            writer.Write(module);
        }
    });

    public static WorkerCompileReply Decode(WorkerFrame frame)
    {
        using var reader = frame.Reader();
        var id = reader.ReadInt64();
        var outcome = (WorkerOutcome)reader.ReadByte();
        var message = reader.ReadString();
        var image = ReadBytes(reader);
        var pdb = ReadBytes(reader);
        var diagnostics = ImmutableArray.CreateBuilder<ScriptDiagnostic>(reader.ReadInt32());
        for (var i = 0; i < diagnostics.Capacity; i++)
        {
            var diagnostic = new ScriptDiagnostic(reader.ReadInt32(), reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadString());
            diagnostics.Add(reader.ReadString() is { Length: > 0 } file ? diagnostic with { File = file } : diagnostic);
        }

        var modules = new string[reader.ReadInt32()];
        for (var i = 0; i < modules.Length; i++)
        {
            modules[i] = reader.ReadString();
        }

        return new(id, outcome, message, image, pdb, diagnostics.MoveToImmutable()) { Modules = [.. modules] };
    }

    private static void WriteBytes(BinaryWriter writer, ImmutableArray<byte> bytes)
    {
        var span = bytes.IsDefault ? [] : bytes.AsSpan();
        writer.Write(span.Length);
        writer.Write(span);
    }

    private static ImmutableArray<byte> ReadBytes(BinaryReader reader) =>
        ImmutableCollectionsMarshal.AsImmutableArray(reader.ReadBytes(reader.ReadInt32()));
}

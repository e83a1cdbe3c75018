using System.Collections.Immutable;

namespace Slardar.Scriptable.Scripting.Compilation.Worker;

/// <summary>One compile sent to the worker: what <see cref="ScriptCompileRequest"/> says about the image, plus the worker's limits for it.</summary>
internal sealed record WorkerCompileRequest(long Id, string Source, ScriptPhase Phase, string Path, bool Trusted, int MaxNestingDepth, TimeSpan Timeout)
{
    /// <summary>The modules the script may use (<see cref="ScriptCompileRequest.Modules"/>).</summary>
    public ImmutableArray<ScriptModule> Modules { get; init; } = ImmutableArray<ScriptModule>.Empty;

    /// <summary><see cref="ScriptCompileRequest.AllModules"/>.</summary>
    public bool AllModules { get; init; }

    public ScriptCompileRequest ToCompileRequest() => new(Source, Phase) { Path = Path, Trusted = Trusted, Modules = Modules, AllModules = AllModules };

    public byte[] Encode() => WorkerFrame.Encode(WorkerFrameType.Compile, writer =>
    {
        writer.Write(Id);
        writer.Write(Source);
        writer.Write((byte)Phase);
        writer.Write(Path);
        writer.Write(Trusted);
        writer.Write(MaxNestingDepth);
        writer.Write(Timeout.Ticks);
        writer.Write(AllModules);
        writer.Write(Modules.Length);
        foreach (var module in Modules)
        {
            writer.Write(module.Name);
            writer.Write(module.Source);
        }
    });

    public static WorkerCompileRequest Decode(WorkerFrame frame)
    {
        using var reader = frame.Reader();
        var request = new WorkerCompileRequest(
            reader.ReadInt64(), reader.ReadString(), (ScriptPhase)reader.ReadByte(), reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32(), TimeSpan.FromTicks(reader.ReadInt64()));
        var all = reader.ReadBoolean();
        var modules = new ScriptModule[reader.ReadInt32()];
        for (var i = 0; i < modules.Length; i++)
        {
            modules[i] = new ScriptModule(reader.ReadString(), reader.ReadString());
        }

        return request with { AllModules = all, Modules = modules.Length == 0 ? ImmutableArray<ScriptModule>.Empty : [.. modules] };
    }
}

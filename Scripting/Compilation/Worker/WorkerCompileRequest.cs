namespace Slardar.Scriptable.Scripting.Compilation.Worker;

/// <summary>One compile sent to the worker: what <see cref="ScriptCompileRequest"/> says about the image, plus the worker's limits for it.</summary>
internal sealed record WorkerCompileRequest(long Id, string Source, ScriptPhase Phase, string Path, bool Trusted, int MaxNestingDepth, TimeSpan Timeout)
{
    public ScriptCompileRequest ToCompileRequest() => new(Source, Phase) { Path = Path, Trusted = Trusted };

    public byte[] Encode() => WorkerFrame.Encode(WorkerFrameType.Compile, writer =>
    {
        writer.Write(Id);
        writer.Write(Source);
        writer.Write((byte)Phase);
        writer.Write(Path);
        writer.Write(Trusted);
        writer.Write(MaxNestingDepth);
        writer.Write(Timeout.Ticks);
    });

    public static WorkerCompileRequest Decode(WorkerFrame frame)
    {
        using var reader = frame.Reader();
        return new WorkerCompileRequest(
            reader.ReadInt64(), reader.ReadString(), (ScriptPhase)reader.ReadByte(), reader.ReadString(), reader.ReadBoolean(), reader.ReadInt32(), TimeSpan.FromTicks(reader.ReadInt64()));
    }
}

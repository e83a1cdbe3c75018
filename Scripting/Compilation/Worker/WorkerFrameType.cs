namespace Slardar.Scriptable.Scripting.Compilation.Worker;

internal enum WorkerFrameType : byte
{
    /// <summary>Worker → gateway, once: Roslyn is warm, compiles are welcome.</summary>
    Ready = 1,

    /// <summary>Gateway → worker: a <see cref="WorkerCompileRequest"/>.</summary>
    Compile = 2,

    /// <summary>Worker → gateway: a <see cref="WorkerCompileReply"/>.</summary>
    Reply = 3,
}

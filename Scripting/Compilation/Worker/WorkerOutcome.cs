namespace Slardar.Scriptable.Scripting.Compilation.Worker;

internal enum WorkerOutcome : byte
{
    /// <summary>An image and its PDB, with warnings.</summary>
    Compiled,

    /// <summary>The script does not compile: its diagnostics.</summary>
    Failed,

    /// <summary>The syntax tree nests deeper than the request's limit (the message says where).</summary>
    TooDeep,

    /// <summary>The compile was canceled at its wall-time limit.</summary>
    TimedOut,

    /// <summary>The compile ran out of the worker's memory limit; the worker is best replaced.</summary>
    OutOfMemory,
}

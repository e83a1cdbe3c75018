using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>The compile worker's limits (<c>Scripts:Compiler:*</c>), copied out of configuration once.</summary>
/// <param name="Timeout">Wall time of one compile; the worker cancels it, the gateway kills a worker that does not answer.</param>
/// <param name="MemoryLimitMb">The worker's GC heap hard limit; a compile that runs out fails and the worker is replaced.</param>
/// <param name="MaxSourceBytes">Checked in the gateway before anything else (UTF-8 bytes).</param>
/// <param name="MaxNestingDepth">Bracket depth (gateway, lexical) and syntax-tree depth (worker, after parsing).</param>
/// <param name="QueueLimit">Admin API compiles waiting for the worker beyond this many are refused with 503.</param>
/// <param name="Concurrency">Compiles the worker runs at once.</param>
internal sealed record CompilerSettings(TimeSpan Timeout, int MemoryLimitMb, int MaxSourceBytes, int MaxNestingDepth, int QueueLimit, int Concurrency)
{
    public const string Prefix = "Scripts:Compiler:";

    public static CompilerSettings Default { get; } = new(TimeSpan.FromSeconds(10), 1024, 256 * 1024, 256, 64, Environment.ProcessorCount);

    public static CompilerSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Scripts:Compiler");
        return new CompilerSettings(
            ConfigurationValues.ReadSeconds(section, Prefix, "TimeoutSeconds", Default.Timeout, 0, minInclusive: false, max: 3600),
            (int)ConfigurationValues.ReadInteger(section, Prefix, "MemoryLimitMb", Default.MemoryLimitMb, 64, 1024 * 1024),
            (int)ConfigurationValues.ReadInteger(section, Prefix, "MaxSourceBytes", Default.MaxSourceBytes, 1, WorkerFrameLimit),
            (int)ConfigurationValues.ReadInteger(section, Prefix, "MaxNestingDepth", Default.MaxNestingDepth, 8, 100_000),
            (int)ConfigurationValues.ReadInteger(section, Prefix, "QueueLimit", Default.QueueLimit, 0, 1_000_000),
            (int)ConfigurationValues.ReadInteger(section, Prefix, "Concurrency", Default.Concurrency, 1, 256));
    }

    // A source travels in one frame, with room for the rest of the request.
    private const int WorkerFrameLimit = Scripting.Compilation.Worker.WorkerFrame.MaxLength / 4;
}

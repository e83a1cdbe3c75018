using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Specs;
using Slardar.Scriptable.Scripting.Compilation.Worker;
using Slardar.Scriptable.Scripting.Editor;

// The same binary is the gateway's compile worker (a child it starts, which alone loads Roslyn).
if (args is [CompileWorkerLoop.Argument, ..])
{
    return await CompileWorkerLoop.RunAsync(args);
}

// ./run.sh --editor: writes Scripts/_editor/ for editors' completion on scripts, in this process (not the gateway's).
if (args is [EditorCommand.Argument, .. var editorArgs])
{
    return EditorCommand.Run(editorArgs, Console.Out);
}

// Socket completions run on the epoll thread instead of hopping to the thread pool: measured in
// docs/BENCHMARKS.md (levers) as the one runtime setting that pays here, about 1.2× the throughput at
// 0.83× the CPU per request. Read once when the first socket is made, so it must be set before that;
// an operator's own value (0 turns it off) wins.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

// ./run.sh --spec a.spec...: run spec files against a gateway started for the run, for CI.
if (args is [SpecCommand.Argument, .. var specArgs])
{
    return await SpecCommand.RunAsync(specArgs, Console.Out);
}

GatewayApp gateway;
try
{
    gateway = await GatewayApp.StartAsync(args);
}
catch (Exception ex)
{
    // A start that fails (a bad configuration value names its key) is one line on stderr and a
    // clean exit code for the supervisor, not an unhandled exception's abort (SIGABRT, 134).
    Console.Error.WriteLine($"Slardar.Scriptable failed to start: {GatewayApp.OneLine(ex.Message)}");
    return GatewayApp.StartFailedExitCode;
}

await using (gateway)
{
    await gateway.WaitForShutdownAsync();
}

return 0;

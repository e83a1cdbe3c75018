using System.Diagnostics;
using System.Globalization;
using Slardar.Scriptable.Scripting.Compilation.Worker;

namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>
/// How to start a compile worker: this very build (the gateway's assembly, its runtimeconfig and deps
/// beside it) run by the dotnet host with <c>--compile-worker</c>. That works the same from the build
/// output, a publish folder and a test's bin folder, whatever started the gateway (its apphost,
/// <c>dotnet Host.dll</c>, or a test host).
/// </summary>
internal static class CompileWorkerLaunch
{
    public static ProcessStartInfo StartInfo(CompilerSettings settings)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(CompileWorkerLaunch).Assembly.Location);
        info.ArgumentList.Add(CompileWorkerLoop.Argument);
        info.ArgumentList.Add("--concurrency");
        info.ArgumentList.Add(settings.Concurrency.ToString(CultureInfo.InvariantCulture));

        // The memory limit: an allocation past it is an OutOfMemoryException in the worker (the compile
        // fails, the worker is replaced), not the machine's memory. Workstation GC: one small heap.
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)settings.MemoryLimitMb * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
        info.Environment["DOTNET_gcServer"] = "0";

        return info;
    }

    // The muxer: this process when it is one (dotnet Host.dll, dotnet test), else the SDK's host
    // variable, else the dotnet beside the running runtime (<root>/shared/Microsoft.NETCore.App/<v>/).
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var dotnet = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(dotnet) ? dotnet : "dotnet";
    }
}

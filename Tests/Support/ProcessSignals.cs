using System.Diagnostics;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>Sends a POSIX signal to a process (kill -STOP, -CONT, -ABRT), to freeze a child or make it die as a crash does.</summary>
internal static class ProcessSignals
{
    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with {kill.ExitCode}");
        }
    }
}

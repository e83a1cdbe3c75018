using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Samples a process's allocations by type: each AllocationTick stands for about 100 KB allocated, and
// names the type of the object that crossed the mark, so types are sampled in proportion to their bytes.
if (args.Length >= 2 && args[0] == "--stacks")
{
    // A trace from dotnet-trace (GC keyword, verbose): where the sampled objects of one type come from.
    return Stacks.Print(args[1], args.Length > 2 ? args[2] : "", args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8);
}

if (args.Length < 1 || !int.TryParse(args[0], out var pid))
{
    Console.Error.WriteLine("usage: AllocationProfile <pid> [seconds] [top] | --stacks <file.nettrace> <type substring> [frames]");
    return 2;
}

var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
var client = new DiagnosticsClient(pid);
var providers = new[]
{
    new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC),
};
using var session = client.StartEventPipeSession(providers, requestRundown: false);
var bytesByType = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
var ticks = 0;
using var source = new EventPipeEventSource(session.EventStream);
source.Clr.GCAllocationTick += e =>
{
    var name = string.IsNullOrEmpty(e.TypeName) ? "(unnamed)" : e.TypeName;
    bytesByType[name] = bytesByType.GetValueOrDefault(name) + e.AllocationAmount64;
    total += e.AllocationAmount64;
    ticks++;
};
var stop = Task.Delay(TimeSpan.FromSeconds(seconds)).ContinueWith(_ => session.Stop(), TaskScheduler.Default);
source.Process();
await stop;

Console.WriteLine($"{ticks} allocation ticks, {total / (1024.0 * 1024):F1} MB sampled in {seconds} s");
Console.WriteLine("share   MB  type");
foreach (var (type, bytes) in bytesByType.OrderByDescending(p => p.Value).Take(top))
{
    Console.WriteLine($"{100.0 * bytes / Math.Max(1, total),5:F1}% {bytes / (1024.0 * 1024),6:F1}  {type}");
}

return 0;

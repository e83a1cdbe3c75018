namespace Slardar.Scriptable.Bench.Targets;

/// <summary>A set of nginx backends, started and stopped together.</summary>
internal sealed class Backends : IDisposable
{
    private Backends(IReadOnlyList<NginxBackend> all) => All = all;

    public IReadOnlyList<NginxBackend> All { get; }

    public IEnumerable<int> Ports => All.Select(b => b.Port);

    public static async Task<Backends> StartAsync(BenchContext context, int count)
    {
        var all = new List<NginxBackend>();
        for (var i = 0; i < count; i++)
        {
            all.Add(await NginxBackend.StartAsync(context));
        }

        return new Backends(all);
    }

    public void Dispose()
    {
        foreach (var backend in All)
        {
            backend.Dispose();
        }
    }
}

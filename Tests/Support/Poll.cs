namespace Slardar.Scriptable.Tests.Support;

/// <summary>Bounded waits for conditions that an external process reaches in its own time.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Repeats <paramref name="attempt"/> until <paramref name="done"/> holds, failing after <paramref name="limit"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await attempt();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for {what}; last: {value}");
            }

            await Task.Delay(Interval);
        }
    }
}

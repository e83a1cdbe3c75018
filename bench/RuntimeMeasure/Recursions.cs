namespace Slardar.Scriptable.RuntimeMeasure;

/// <summary>The library recursions of issue 11 at a given depth, as a script provokes them.</summary>
internal static class Recursions
{
    public static int Run(string kind, int depth)
    {
        if (kind == "except")
        {
            var chain = Enumerable.Repeat(Enumerable.Empty<int>(), depth).Aggregate<IEnumerable<int>, IEnumerable<int>>([1], Enumerable.Except);
            return chain.First();
        }

        IEnumerable<int> selects = [1];
        for (var i = 0; i < depth; i++)
        {
            selects = selects.Select(x => x + 1);
        }

        return selects.First();
    }
}

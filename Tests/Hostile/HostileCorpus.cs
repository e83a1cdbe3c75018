using System.Text.Json;

namespace Slardar.Scriptable.Tests.Hostile;

/// <summary>The corpus as copied next to the tests: Corpus/manifest.json and the .csx files it names.</summary>
internal static class HostileCorpus
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly Lazy<Dictionary<string, HostileCase>> Cases = new(Load);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Hostile", "Corpus");

    public static IReadOnlyDictionary<string, HostileCase> All => Cases.Value;

    public static HostileCase Get(string id) => All[id];

    private static Dictionary<string, HostileCase> Load()
    {
        using var stream = File.OpenRead(Path.Combine(Folder, "manifest.json"));
        var manifest = JsonSerializer.Deserialize<Manifest>(stream, Options) ?? throw new InvalidDataException("empty corpus manifest");
        return manifest.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    private sealed class Manifest
    {
        public HostileCase[] Cases { get; init; } = [];
    }
}

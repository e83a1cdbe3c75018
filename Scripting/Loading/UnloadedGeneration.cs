namespace Slardar.Scriptable.Scripting.Loading;

/// <summary>A generation that was unloaded but whose load context has not been collected yet.</summary>
internal sealed record UnloadedGeneration(string Name, DateTimeOffset UnloadedAt);

namespace Slardar.Scriptable.Tests.Scripting.Loading;

/// <summary>
/// Tests that need no other test running beside them: xUnit runs this collection on its own, after
/// the parallel ones. For claims about who triggers a full collection, which any parallel test that
/// unloads a script context (and collects to prove it) would make for them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}

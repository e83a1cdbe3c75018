namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>Where <see cref="ScriptReferences"/> found the assemblies scripts compile against.</summary>
internal enum ReferenceSource
{
    /// <summary>The app's <c>refs/</c> folder, written by <c>PreserveCompilationContext</c>.</summary>
    RefsFolder,

    /// <summary>The .NET SDK's reference pack (Microsoft.NETCore.App.Ref) matching the runtime.</summary>
    ReferencePack,

    /// <summary>The runtime's own (implementation) assemblies: works, but is the last resort.</summary>
    TrustedPlatformAssemblies,
}

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>Where an API use was found, which changes a few of <see cref="ScriptApiPolicy"/>'s answers.</summary>
internal enum ApiLayer
{
    /// <summary>Named in the script's source (checked on the semantic model).</summary>
    Source,

    /// <summary>Referenced by the compiled image, which includes what the compiler generates.</summary>
    Image,
}

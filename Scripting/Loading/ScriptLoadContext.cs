using System.Reflection;
using System.Runtime.Loader;

namespace Slardar.Scriptable.Scripting.Loading;

/// <summary>
/// The collectible load context of one script generation. It loads the script's assembly and
/// nothing else: every reference (the BCL, this assembly's Api) resolves in the default context, so
/// the script derives from the very <c>RewriteScript</c> the host calls, and nothing but the script
/// itself has to be collected on unload. It holds no reference to the script's <see cref="Assembly"/>
/// (a cycle through the native side would keep it alive, runtime#66184).
/// </summary>
internal sealed class ScriptLoadContext : AssemblyLoadContext
{
    public ScriptLoadContext(string name)
        : base(name, isCollectible: true)
    {
    }

    protected override Assembly? Load(AssemblyName assemblyName) => null;
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The assembly names scripts compile against and may reference, apart from Roslyn: the gateway
/// checks every image it loads against <see cref="Allowed"/> without loading the compiler.
/// </summary>
internal static class ScriptAssemblies
{
    /// <summary>Assemblies a compiled script may reference.</summary>
    public static readonly ImmutableArray<string> Usable =
    [
        "System.Runtime",
        "System.Collections",
        "System.Linq",
        "System.Memory",
        "System.Text.RegularExpressions",
        "System.Text.Json",
        "System.Threading",
        "System.Collections.Concurrent",
        "System.Collections.Immutable",
        "System.Collections.Specialized",
        "System.ObjectModel",
        "System.Runtime.Numerics",
        "System.Security.Cryptography",
        "System.Net.Primitives",
        "System.Web.HttpUtility",
        "System.Text.Encodings.Web",
    ];

    /// <summary>Assemblies referenced only so that the guard rails can name what a script tried to use.</summary>
    public static readonly ImmutableArray<string> NamedForDiagnostics =
    [
        "System.ComponentModel.Primitives",
        "System.Console",
        "System.Diagnostics.Process",
        "System.Net.Http",
        "System.Net.Sockets",
        "System.Runtime.InteropServices",
        "System.Runtime.Loader",
        "System.Threading.Thread",
        "System.Threading.ThreadPool",
        "System.Threading.Tasks.Parallel",
    ];

    public const string CoreLibrary = "System.Private.CoreLib";

    /// <summary>Names of the assemblies a compiled (untrusted) script may reference.</summary>
    public static readonly FrozenSet<string> Allowed =
        Usable.Append(CoreLibrary).Append(typeof(ScriptBase).Assembly.GetName().Name!).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}

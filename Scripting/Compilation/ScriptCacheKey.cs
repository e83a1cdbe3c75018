using System.Security.Cryptography;
using System.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// A digest of everything that decides the image a compile makes for a request: the request (source,
/// phase, path, trust, the modules it may use; limits are run-time only) and the compiler itself (Roslyn's version and this
/// assembly's build, whose template, guard rails and instrumentation shape the image). Equal keys mean
/// an image compiled earlier can be loaded instead of compiling again. Computed without loading
/// Roslyn: the gateway keys its image cache and its crash marks with it, and only the compile worker
/// loads the compiler.
/// </summary>
internal static class ScriptCacheKey
{
    // Roslyn's version as this assembly was built against it (read from the reference, not by loading it).
    private static readonly string CompilerIdentity =
        $"{typeof(ScriptCacheKey).Assembly.GetReferencedAssemblies().FirstOrDefault(static a => a.Name == "Microsoft.CodeAnalysis.CSharp")?.Version}"
        + $"/{typeof(ScriptCacheKey).Assembly.ManifestModule.ModuleVersionId}";

    public static string For(ScriptCompileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var identity = new StringBuilder($"{CompilerIdentity}\n{request.Phase}\n{request.Trusted}\n{request.Path}\n{request.AllModules}\n{request.Source}");

        // The modules the script may use decide what it binds to: any change among them is a new key.
        foreach (var module in request.Modules.OrderBy(static m => m.Name, StringComparer.Ordinal))
        {
            identity.Append('\0').Append(module.Name).Append('\0').Append(module.Source.Length).Append('\0').Append(module.Source);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())));
    }

    /// <summary>
    /// The assembly name of the image: unique per content, so generations of different scripts never
    /// share a name, and stable, so the same script compiles to the same image (deterministic emit).
    /// </summary>
    public static string AssemblyName(ScriptCompileRequest request) =>
        $"slardar-script-{request.Phase.ToString().ToLowerInvariant()}-{For(request)[..16]}";
}

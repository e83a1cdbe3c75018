using System.Collections.Immutable;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Admits an image compiled elsewhere (the compile worker, the store's image cache) as a
/// <see cref="CompiledScript"/>: the image guard checks it again in the process that will load it, so
/// neither the worker's answer nor a stored blob is trusted on its word. Needs no Roslyn.
/// </summary>
internal static class ScriptImageCheck
{
    /// <param name="modules">The modules compiled into the image, as the compile named them.</param>
    public static ScriptCompileResult Admit(ScriptCompileRequest request, ImmutableArray<byte> image, ImmutableArray<byte> pdb, ImmutableArray<ScriptDiagnostic> warnings, ImmutableArray<string> modules = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        warnings = warnings.IsDefault ? [] : warnings;
        IReadOnlyList<ScriptDiagnostic> violations;
        try
        {
            violations = request.Trusted ? ScriptImageGuard.CheckReadable(image) : ScriptImageGuard.Check(image, ScriptAssemblies.Allowed);
        }
        catch (BadImageFormatException exception)
        {
            violations = [ScriptImageGuard.Finding("an unreadable image", exception.Message)];
        }

        if (violations.Count > 0)
        {
            return ScriptCompileResult.Failed([.. warnings, .. violations]);
        }

        return ScriptCompileResult.Compiled(new CompiledScript(
            request.Phase, ScriptCacheKey.AssemblyName(request), request.Path, image, pdb, request.Limits, request.Trusted, warnings)
        {
            // Only names of modules the request offered: a reply cannot make up a dependency.
            Modules = [.. (modules.IsDefault ? [] : modules).Where(name => request.Modules.Any(m => m.Name == name))],
        });
    }
}

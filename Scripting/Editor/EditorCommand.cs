using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Scripting.Editor;

/// <summary>
/// <c>--editor [folder]</c> (<c>./run.sh --editor</c>): writes <c>&lt;folder&gt;/_editor/</c> for the
/// scripts folder (default <c>Scripts</c>) with the modules found in its <c>_modules/</c>, and exits.
/// A command of its own, not part of the gateway's start: the gateway process never loads Roslyn.
/// Exit code 0 when written, 1 when the modules do not compile (the rest is written), 2 on bad use
/// or a folder that cannot be written.
/// </summary>
internal static class EditorCommand
{
    public const string Argument = "--editor";

    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length > 1 || args is [['-', ..]])
        {
            output.WriteLine("usage: --editor [scripts folder, default Scripts]");
            return 2;
        }

        var folder = Path.GetFullPath(args is [var given] ? given : "Scripts");
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"--editor: no folder {folder}");
            return 2;
        }

        IReadOnlyList<string> errors;
        try
        {
            errors = EditorFiles.Write(folder, ReadModules(folder));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"--editor: could not write {Path.Combine(folder, EditorFiles.Folder)}: {ex.Message}");
            return 2;
        }

        output.WriteLine($"--editor: wrote {Path.Combine(folder, EditorFiles.Folder)}; a script's first line {EditorFiles.LoadLine(ScriptPhase.Rewrite)} (its own phase) gives editors the script API");
        foreach (var error in errors)
        {
            output.WriteLine($"--editor: module error, Modules.dll left out: {error}");
        }

        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>The module files of <c>&lt;folder&gt;/_modules/</c>, as the folder watcher names them.</summary>
    internal static IEnumerable<ScriptModule> ReadModules(string folder)
    {
        var modules = Path.Combine(folder, ScriptModule.Folder);
        if (!Directory.Exists(modules))
        {
            return [];
        }

        return Directory.EnumerateFiles(modules, "*.cs")
            .Order(StringComparer.Ordinal)
            .Select(static file => (File: file, Name: Path.GetFileNameWithoutExtension(file)))
            .Where(static m => ScriptModule.IsValidName(m.Name))
            .Select(static m => new ScriptModule(m.Name, File.ReadAllText(m.File)))
            .ToList();
    }
}

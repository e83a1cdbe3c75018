using System.Collections.Frozen;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The assemblies scripts compile against, as <see cref="MetadataReference"/>s created once and
/// shared by every compilation (Roslyn caches metadata and symbols per reference object, which is
/// most of what makes a warm compile fast).
/// <para>
/// Where from, in order: (1) <c>refs/</c> beside the app, which
/// <c>&lt;PreserveCompilationContext&gt;true&lt;/PreserveCompilationContext&gt;</c> writes to the
/// build and publish output (the gateway sets it); (2) the SDK's reference pack for the running
/// runtime, found from the runtime's own folder (how tests, and a gateway run from an SDK machine,
/// find them); (3) the runtime's trusted platform assemblies. Reference assemblies are what the
/// compiler is meant to be given; implementation assemblies work for this small set but make scripts
/// reference System.Private.CoreLib, so they come last.
/// </para>
/// <para>
/// Only a few assemblies are referenced: those scripts may use, plus those whose APIs the guard rails
/// name, so that <c>Process.Start</c> is reported as forbidden, with its line, rather than as an unknown
/// name. The set is not a security boundary (System.Runtime alone exposes files and reflection);
/// the guard rails are the check, and the compiled image may reference only the usable assemblies.
/// </para>
/// </summary>
internal sealed class ScriptReferences
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

    private const string CoreLibrary = "System.Private.CoreLib";

    private static readonly Lazy<ScriptReferences> SharedReferences = new(
        () => Locate(AppContext.BaseDirectory, Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty));

    private ScriptReferences(ReferenceSource source, string location, ImmutableArray<string> paths)
    {
        Source = source;
        Location = location;
        Paths = paths;
        References = [.. paths.Select(static path => MetadataReference.CreateFromFile(path)), MetadataReference.CreateFromFile(ScriptingAssemblyPath())];
        AllowedAssemblyNames = Usable.Append(CoreLibrary).Append(typeof(ScriptBase).Assembly.GetName().Name!).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The process-wide set, located from the app's folder and the running runtime on first use.</summary>
    public static ScriptReferences Shared => SharedReferences.Value;

    public ReferenceSource Source { get; }

    /// <summary>The folder the framework references came from (the runtime's folder for <see cref="ReferenceSource.TrustedPlatformAssemblies"/>).</summary>
    public string Location { get; }

    /// <summary>The framework assemblies referenced, by path (this assembly not included).</summary>
    public ImmutableArray<string> Paths { get; }

    /// <summary>The framework assemblies plus this assembly (the script API).</summary>
    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>Names of the assemblies a compiled (untrusted) script may reference.</summary>
    public FrozenSet<string> AllowedAssemblyNames { get; }

    /// <summary>Finds the references for an app in <paramref name="appDirectory"/> on the runtime in <paramref name="runtimeDirectory"/>.</summary>
    public static ScriptReferences Locate(string appDirectory, string runtimeDirectory)
    {
        ArgumentNullException.ThrowIfNull(appDirectory);
        ArgumentNullException.ThrowIfNull(runtimeDirectory);

        var refs = Path.Combine(appDirectory, "refs");
        if (FromFolder(refs) is { } fromRefs)
        {
            return new ScriptReferences(ReferenceSource.RefsFolder, refs, fromRefs);
        }

        if (FindReferencePack(runtimeDirectory) is { } pack && FromFolder(pack) is { } fromPack)
        {
            return new ScriptReferences(ReferenceSource.ReferencePack, pack, fromPack);
        }

        return FromTrustedPlatformAssemblies(runtimeDirectory);
    }

    /// <summary>The trusted platform assemblies of this process, whatever else is installed.</summary>
    public static ScriptReferences FromTrustedPlatformAssemblies(string runtimeDirectory)
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToLookup(static path => Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase);
        var wanted = Usable.Concat(NamedForDiagnostics).Prepend(CoreLibrary);
        var paths = wanted.SelectMany(name => tpa[name].Take(1)).ToImmutableArray();
        if (!Usable.Prepend(CoreLibrary).All(name => tpa[name].Any()))
        {
            throw new InvalidOperationException("The runtime's trusted platform assemblies lack assemblies scripts need; no reference set can be built.");
        }

        return new ScriptReferences(ReferenceSource.TrustedPlatformAssemblies, runtimeDirectory, paths);
    }

    // Every usable assembly must be there; the ones named for diagnostics are taken when present.
    private static ImmutableArray<string>? FromFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var paths = ImmutableArray.CreateBuilder<string>();
        foreach (var name in Usable.Concat(NamedForDiagnostics))
        {
            var path = Path.Combine(folder, name + ".dll");
            if (File.Exists(path))
            {
                paths.Add(path);
            }
            else if (Usable.Contains(name))
            {
                return null;
            }
        }

        return paths.ToImmutable();
    }

    // <dotnet>/shared/Microsoft.NETCore.App/<version>/ is the runtime's folder; the matching reference
    // pack is <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/. The exact
    // version is preferred, else the newest of the same major.minor (patches do not change the API).
    private static string? FindReferencePack(string runtimeDirectory)
    {
        var runtime = new DirectoryInfo(runtimeDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dotnetRoot = runtime.Parent?.Parent?.Parent;
        if (dotnetRoot is null)
        {
            return null;
        }

        var packs = Path.Combine(dotnetRoot.FullName, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs))
        {
            return null;
        }

        var version = Environment.Version;
        var framework = $"net{version.Major}.{version.Minor}";
        var candidates = Directory.GetDirectories(packs)
            .Select(static dir => (Dir: dir, Version: Version.TryParse(Path.GetFileName(dir).Split('-')[0], out var v) ? v : null))
            .Where(c => c.Version is { } v && v.Major == version.Major && v.Minor == version.Minor)
            .OrderByDescending(c => string.Equals(Path.GetFileName(c.Dir), runtime.Name, StringComparison.Ordinal))
            .ThenByDescending(static c => c.Version);
        foreach (var (dir, _) in candidates)
        {
            var refs = Path.Combine(dir, "ref", framework);
            if (Directory.Exists(refs))
            {
                return refs;
            }
        }

        return null;
    }

    private static string ScriptingAssemblyPath()
    {
        var location = typeof(ScriptBase).Assembly.Location;
        return string.IsNullOrEmpty(location)
            ? throw new InvalidOperationException("Scripts compile against the Slardar.Scriptable.Scripting assembly file, which a single-file app does not have.")
            : location;
    }
}

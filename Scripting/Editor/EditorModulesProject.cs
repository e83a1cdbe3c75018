using System.Security;
using System.Text;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Scripting.Editor;

/// <summary>
/// The text of <c>_editor/Modules.csproj</c>: a project over <c>../_modules/*.cs</c> with the script
/// API assembly, the scripts' usings and nullable context, so that an editor opening a module (a plain
/// <c>.cs</c> file, which editors only analyse inside a project) binds it as the gateway does. It
/// imports no <c>Directory.Build.props</c> or central package versions from folders above: a Scripts
/// folder inside a repository must not take that repository's build rules.
/// </summary>
internal static class EditorModulesProject
{
    public const string FileName = "Modules.csproj";

    public static string Generate(string apiAssemblyFile)
    {
        ArgumentNullException.ThrowIfNull(apiAssemblyFile);
        var framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        var text = new StringBuilder();
        text.Append("<!-- Generated for editors (README, Editor support): the modules of ../").Append(ScriptModule.Folder).Append("/ as the gateway compiles them. Do not edit. -->\n")
            .Append("<Project>\n")
            .Append("  <PropertyGroup>\n")
            .Append("    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>\n")
            .Append("    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>\n")
            .Append("    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>\n")
            .Append("  </PropertyGroup>\n")
            .Append("  <Import Project=\"Sdk.props\" Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Append("  <PropertyGroup>\n")
            .Append("    <TargetFramework>").Append(framework).Append("</TargetFramework>\n")
            .Append("    <LangVersion>latest</LangVersion>\n")
            .Append("    <Nullable>enable</Nullable>\n")
            .Append("    <ImplicitUsings>disable</ImplicitUsings>\n")
            .Append("    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>\n")
            .Append("    <AssemblyName>Slardar.Scriptable.EditorModules</AssemblyName>\n")
            .Append("  </PropertyGroup>\n")
            .Append("  <ItemGroup>\n")
            .Append("    <Compile Include=\"../").Append(ScriptModule.Folder).Append("/*.cs\" />\n")
            .Append("    <Reference Include=\"").Append(Escape(Path.GetFileNameWithoutExtension(apiAssemblyFile)))
            .Append("\" HintPath=\"").Append(Escape(apiAssemblyFile)).Append("\" />\n");
        foreach (var name in PreludeNamespaces())
        {
            text.Append("    <Using Include=\"").Append(Escape(name)).Append("\" />\n");
        }

        return text.Append("  </ItemGroup>\n")
            .Append("  <Import Project=\"Sdk.targets\" Sdk=\"Microsoft.NET.Sdk\" />\n")
            .Append("</Project>\n")
            .ToString();
    }

    // "global using System.Linq;" -> "System.Linq": the prelude stays the one list of the scripts' usings.
    private static IEnumerable<string> PreludeNamespaces() => ScriptTemplate.Prelude
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(static line => line["global using ".Length..].TrimEnd(';'));

    private static string Escape(string text) => SecurityElement.Escape(text);
}

using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The guard rails on the compiled image, the authoritative check: it reads the metadata tables of the
/// emitted assembly, so it also sees what the compiler generated and no syntax names (the enumerator
/// of a <c>foreach</c>, the awaiter of an <c>await</c>, <c>Type.GetTypeFromHandle</c> behind
/// <c>typeof</c>, <c>Monitor</c> behind <c>lock</c>). Checked: referenced assemblies (only the usable
/// ones), native modules and P/Invoke methods (none), every type reference and every member reference
/// against the allow list of <see cref="ScriptApiPolicy"/>, which also lets in here, and only here,
/// what the compiler itself emits. Findings have no line: the source check normally reports the
/// same use first, with one. Uses System.Reflection.Metadata only: the gateway, which never loads
/// Roslyn, runs it on every image it loads.
/// </summary>
internal static class ScriptImageGuard
{
    /// <summary>The message format of <see cref="ScriptDiagnosticDescriptors.ForbiddenReference"/>, without Roslyn.</summary>
    public const string ForbiddenReferenceId = "SLS0004";

    public static ScriptDiagnostic Finding(string what, string reason) =>
        new(0, 0, ForbiddenReferenceId, $"The compiled script uses '{what}', which scripts may not use: {reason}", ScriptDiagnostic.Error);

    /// <summary>For trusted scripts, which the policy does not bind: the image must still be one (metadata readable).</summary>
    public static IReadOnlyList<ScriptDiagnostic> CheckReadable(ImmutableArray<byte> image)
    {
        using var pe = new PEReader(image);
        _ = pe.GetMetadataReader().AssemblyReferences.Count;
        return [];
    }

    public static IReadOnlyList<ScriptDiagnostic> Check(ImmutableArray<byte> image, IReadOnlySet<string> allowedAssemblies)
    {
        ArgumentNullException.ThrowIfNull(allowedAssemblies);
        using var pe = new PEReader(image);
        var metadata = pe.GetMetadataReader();
        var found = new List<ScriptDiagnostic>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        void Report(string what, string reason)
        {
            if (reported.Add(what))
            {
                found.Add(Finding(what, reason));
            }
        }

        foreach (var handle in metadata.AssemblyReferences)
        {
            var name = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
            if (!allowedAssemblies.Contains(name))
            {
                Report("assembly " + name, "only the script API's assemblies may be referenced");
            }
        }

        for (var row = 1; row <= metadata.GetTableRowCount(TableIndex.ModuleRef); row++)
        {
            var module = metadata.GetModuleReference(MetadataTokens.ModuleReferenceHandle(row));
            Report("native module " + metadata.GetString(module.Name), ScriptApiPolicy.Interop);
        }

        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0)
            {
                Report("extern method " + metadata.GetString(method.Name), ScriptApiPolicy.Interop);
            }
        }

        foreach (var handle in metadata.TypeReferences)
        {
            var (ns, name) = Outermost(metadata, handle);
            if (ScriptApiPolicy.CheckType(ns, name, ApiLayer.Image) is { } reason)
            {
                Report(Join(ns, name), reason);
            }
        }

        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (ParentType(metadata, member.Parent) is not { } parent)
            {
                continue;
            }

            var name = PropertyName(metadata.GetString(member.Name));
            var generic = member.GetKind() == MemberReferenceKind.Method
                && metadata.GetBlobReader(member.Signature).ReadSignatureHeader().IsGeneric;
            if (ScriptApiPolicy.CheckMember(parent.Namespace, parent.Name, name, generic, ApiLayer.Image) is { } reason)
            {
                Report(Join(parent.Namespace, parent.Name) + "." + name, reason);
            }
        }

        return found;
    }

    // The type a member reference belongs to: a type reference, or the generic type behind a
    // generic instantiation (List<int>). Members of the script's own types, of arrays and of type
    // parameters need no check.
    private static (string Namespace, string Name)? ParentType(MetadataReader metadata, EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.TypeReference:
                return Outermost(metadata, (TypeReferenceHandle)parent);
            case HandleKind.TypeSpecification:
                var blob = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                {
                    return null;
                }

                blob.ReadSignatureTypeCode();
                var generic = blob.ReadTypeHandle();
                return generic.Kind == HandleKind.TypeReference ? Outermost(metadata, (TypeReferenceHandle)generic) : null;
            default:
                return null;
        }
    }

    private static (string Namespace, string Name) Outermost(MetadataReader metadata, TypeReferenceHandle handle)
    {
        var type = metadata.GetTypeReference(handle);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        }

        var name = metadata.GetString(type.Name);
        var arity = name.IndexOf('`', StringComparison.Ordinal);
        return (metadata.GetString(type.Namespace), arity < 0 ? name : name[..arity]);
    }

    // The policy names properties and events, not their accessors.
    private static string PropertyName(string member)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["get_", "set_", "add_", "remove_"])
        {
            if (member.StartsWith(prefix, StringComparison.Ordinal))
            {
                return member[prefix.Length..];
            }
        }

        return member;
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}

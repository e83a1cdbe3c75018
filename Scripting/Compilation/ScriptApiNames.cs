using System.ComponentModel;
using System.Reflection;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The names a script of a phase can write, for an editor's completion: the members its base class
/// gives it (<c>Request</c>, <c>Exit</c>, <c>Checkups</c>...) and the members of the API types those
/// return (<c>Request.Headers</c>, <c>Checkups.SelectPeer</c>...). Read by reflection from the API
/// assembly, so the list follows the build; the budget hooks (<c>__</c>, hidden from editors) are left out.
/// </summary>
internal static class ScriptApiNames
{
    private const BindingFlags Visible = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;

    /// <summary>For <paramref name="phase"/>: (name, kind, type) of what the script sees, then (Type.member, ...) of the API types its properties reach, step by step.</summary>
    public static IReadOnlyList<(string Name, string Kind, string Type)> For(ScriptPhase phase)
    {
        var baseClass = typeof(ScriptBase).Assembly.GetType($"{typeof(ScriptBase).Namespace}.{ScriptPhases.Of(phase).BaseClass}")
            ?? throw new InvalidOperationException($"no API class {ScriptPhases.Of(phase).BaseClass}");
        var names = new List<(string, string, string)>(Members(baseClass, scriptSide: true));
        foreach (var type in ReachedTypes(baseClass))
        {
            names.AddRange(Members(type, scriptSide: false).Select(m => ($"{type.Name}.{m.Name}", m.Kind, m.Type)));
        }

        return [.. names.Distinct().OrderBy(static n => n.Item1, StringComparer.Ordinal)];
    }

    private static IEnumerable<(string Name, string Kind, string Type)> Members(Type type, bool scriptSide)
    {
        var members = scriptSide ? type.GetMembers(Visible) : type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        if (type.IsInterface)
        {
            members = [.. members, .. type.GetInterfaces().SelectMany(static i => i.GetMembers())];
        }

        foreach (var member in members)
        {
            if (member.Name.StartsWith("__", StringComparison.Ordinal)
                || member.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never
                || member.DeclaringType == typeof(object))
            {
                continue;
            }

            switch (member)
            {
                case PropertyInfo property when Reachable(property.GetMethod, scriptSide) && property.GetIndexParameters().Length == 0:
                    yield return (property.Name, "property", Display(property.PropertyType));
                    break;
                case MethodInfo method when Reachable(method, scriptSide) && !method.IsSpecialName:
                    yield return (method.Name, "method", Display(method.ReturnType));
                    break;
            }
        }
    }

    // What the script itself can call: public or protected (not internal, not private).
    private static bool Reachable(MethodInfo? method, bool scriptSide) =>
        method is not null && (method.IsPublic || (scriptSide && (method.IsFamily || method.IsFamilyOrAssembly)));

    // The API types a chain of properties reaches from the script (Request, then Request.Headers...),
    // breadth first, so an editor can complete every step of "Request.Headers.".
    private static IEnumerable<Type> ReachedTypes(Type baseClass)
    {
        var seen = new HashSet<Type>();
        var next = new Queue<Type>(ApiPropertyTypes(baseClass.GetProperties(Visible).Where(static p => Reachable(p.GetMethod, scriptSide: true))));
        while (next.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            yield return type;
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Concat(type.IsInterface ? type.GetInterfaces().SelectMany(static i => i.GetProperties()) : []);
            foreach (var reached in ApiPropertyTypes(properties))
            {
                next.Enqueue(reached);
            }
        }
    }

    private static IEnumerable<Type> ApiPropertyTypes(IEnumerable<PropertyInfo> properties) => properties
        .Where(static p => p.GetIndexParameters().Length == 0)
        .Select(static p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
        .Where(static t => t.Namespace == typeof(ScriptBase).Namespace);

    private static string Display(Type type) => Nullable.GetUnderlyingType(type) is { } inner
        ? Display(inner) + "?"
        : type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>"
        : type.Name;
}

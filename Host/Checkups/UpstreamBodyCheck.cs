using System.Text.Json;
using static Slardar.Scriptable.Host.Checkups.UpstreamConfigErrors;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// What a JSON body must pass before anything reads it as a tree: no key twice in an object and
/// no invalid UTF-8 in a string. <see cref="System.Text.Json.Nodes.JsonObject"/> throws on a
/// duplicated key when first touched, and the reader checks string bytes only when a string is
/// read, so either would otherwise surface as an exception far from the input (a 500 with no
/// body); here each is a message naming the field, in the parser's path syntax
/// (<c>servers[0].host</c>).
/// </summary>
internal static class UpstreamBodyCheck
{
    /// <returns>The first problem found, or null when the body is sound.</returns>
    public static string? FindProblem(JsonElement root) => Walk(root, string.Empty);

    private static string? Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return InvalidUtf8(path.Length == 0 ? "(a field name)" : $"{path} (a field name)");
                    }

                    var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (!(seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        return DuplicateField(fieldPath);
                    }

                    if (Walk(property.Value, fieldPath) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;

            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, $"{path}[{index++}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;

            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return InvalidUtf8(path);
                }

            default:
                return null;
        }
    }
}

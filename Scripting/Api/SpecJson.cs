using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// A value in a spec's response JSON, compared the way an assertion reads:
/// <c>Response.Json["image"]["height"] == 100</c>, <c>Response.Json["tags"][0] == "a"</c>. A missing
/// member or index is <see cref="Missing"/>, which equals nothing (not even null), so a typo fails.
/// </summary>
public sealed class SpecJson : IEquatable<SpecJson>
{
    private readonly JsonNode? _node;

    private SpecJson(JsonNode? node, bool exists)
    {
        _node = node;
        Exists = exists;
    }

    /// <summary>What a missing member or index reads as.</summary>
    public static SpecJson Missing { get; } = new(null, exists: false);

    /// <summary>Whether the member or index was there (its value may be JSON null).</summary>
    public bool Exists { get; }

    public bool IsNull => Exists && _node is null;

    /// <summary>The member <paramref name="name"/> of an object.</summary>
    public SpecJson this[string name] => _node is JsonObject o && o.TryGetPropertyValue(name, out var value) ? new(value, true) : Missing;

    /// <summary>The element <paramref name="index"/> of an array.</summary>
    public SpecJson this[int index] => _node is JsonArray a && index >= 0 && index < a.Count ? new(a[index], true) : Missing;

    /// <summary>Elements of an array, members of an object; 0 otherwise.</summary>
    public int Count => _node switch { JsonArray a => a.Count, JsonObject o => o.Count, _ => 0 };

    public static SpecJson Parse(string text)
    {
        try
        {
            return new(JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }), true);
        }
        catch (JsonException)
        {
            return Missing;
        }
    }

    public static bool operator ==(SpecJson? json, string? text) => json is { Exists: true } && (text is null ? json.IsNull : json.AsString() == text);

    public static bool operator !=(SpecJson? json, string? text) => !(json == text);

    public static bool operator ==(SpecJson? json, double number) => json?.AsNumber() is { } value && value.Equals(number);

    public static bool operator !=(SpecJson? json, double number) => !(json == number);

    public static bool operator ==(SpecJson? json, bool flag) => json?._node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False && v.GetValue<bool>() == flag;

    public static bool operator !=(SpecJson? json, bool flag) => !(json == flag);

    public static bool operator ==(SpecJson? left, SpecJson? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(SpecJson? left, SpecJson? right) => !(left == right);

    public static bool operator >(SpecJson json, double number) => json.AsNumber() is { } value && value > number;

    public static bool operator <(SpecJson json, double number) => json.AsNumber() is { } value && value < number;

    public static bool operator >=(SpecJson json, double number) => json.AsNumber() is { } value && value >= number;

    public static bool operator <=(SpecJson json, double number) => json.AsNumber() is { } value && value <= number;

    /// <summary>A string's value, or the JSON text of anything else; null when missing.</summary>
    public string? AsString() => !Exists ? null : _node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : _node?.ToJsonString() ?? "null";

    public double? AsNumber() => _node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    public bool Equals(SpecJson? other) => other is not null && Exists && other.Exists && JsonNode.DeepEquals(_node, other._node);

    public override bool Equals(object? obj) => obj is SpecJson other && Equals(other);

    public override int GetHashCode() => AsString()?.GetHashCode(StringComparison.Ordinal) ?? 0;

    /// <summary>The JSON text (a string without its quotes), or <c>(missing)</c>.</summary>
    public override string ToString() => Exists ? AsString()! : "(missing)";

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>Request headers by case-insensitive name.</summary>
public interface IScriptHeaders
{
    /// <summary>
    /// Gets the header's values joined with ", ", or null when absent. Setting replaces every value;
    /// setting null removes the header.
    /// </summary>
    string? this[string name] { get; set; }

    bool Contains(string name);

    /// <summary>The names of the headers present.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Removes the header; false when it was absent.</summary>
    bool Remove(string name);
}

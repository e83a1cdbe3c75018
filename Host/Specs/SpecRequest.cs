using System.Text;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// A block's <c>--- request</c>, read as raw HTTP: <c>METHOD /target [HTTP/1.1]</c>, header lines, a
/// blank line, the body. The <c>Host</c> header picks the host (default <c>localhost</c>).
/// </summary>
internal sealed record SpecRequest(string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, string? Body)
{
    public string Host => Headers.LastOrDefault(static h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value ?? "localhost";

    /// <exception cref="SpecFormatException">The text is not a request.</exception>
    public static SpecRequest Parse(IReadOnlyList<string> lines, int firstLine)
    {
        var start = 0;
        while (start < lines.Count && lines[start].Trim().Length == 0)
        {
            start++;
        }

        var parts = start < lines.Count ? lines[start].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (parts.Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetterUpper) || !parts[1].StartsWith('/') || parts is [_, _, var version] && !version.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            throw new SpecFormatException(firstLine + start, "a request starts with \"METHOD /path [HTTP/1.1]\"");
        }

        var headers = new List<(string, string)>();
        var i = start + 1;
        for (; i < lines.Count && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || lines[i][..colon].Any(static c => c is ' ' or '\t'))
            {
                throw new SpecFormatException(firstLine + i, "a header line is \"Name: value\" (a blank line starts the body)");
            }

            headers.Add((lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }

        var body = i < lines.Count ? string.Join('\n', lines.Skip(i + 1)) : null;
        return new SpecRequest(parts[0], parts[1], headers, body);
    }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Target);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        }

        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }
}

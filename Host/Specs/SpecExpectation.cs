using System.Globalization;
using System.Text.RegularExpressions;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// A block's <c>--- response</c>: a status line (<c>200</c> or <c>HTTP/1.1 200 OK</c>), header lines
/// that must be present with that value (or match <c>/regex/</c>), then after a blank line the body,
/// compared whole (ends trimmed) or matched by a pattern written <c>/regex/</c> on one line.
/// </summary>
internal sealed record SpecExpectation(int Status, int StatusLine, IReadOnlyList<(string Name, string Value, int Line)> Headers, string? Body, int BodyLine)
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    /// <exception cref="SpecFormatException">The text is not an expected response.</exception>
    public static SpecExpectation Parse(IReadOnlyList<string> lines, int firstLine)
    {
        var status = lines.Count > 0 ? lines[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        var code = status switch
        {
            [var only] => only,
            [var version, var number, ..] when version.StartsWith("HTTP/", StringComparison.Ordinal) => number,
            _ => null,
        };
        if (code is null || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 100 or > 999)
        {
            throw new SpecFormatException(firstLine, "a response starts with its status: \"200\" or \"HTTP/1.1 200 OK\"");
        }

        var headers = new List<(string, string, int)>();
        var i = 1;
        for (; i < lines.Count && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new SpecFormatException(firstLine + i, "a header line is \"Name: value\" (a blank line starts the body)");
            }

            var value = lines[i][(colon + 1)..].Trim();
            CheckPattern(value, firstLine + i);
            headers.Add((lines[i][..colon].Trim(), value, firstLine + i));
        }

        var body = i < lines.Count - 1 ? string.Join('\n', lines.Skip(i + 1)).Trim() : null;
        if (body is not null)
        {
            CheckPattern(body, firstLine + i + 1);
        }

        return new SpecExpectation(parsed, firstLine, headers, body, firstLine + i + 1);
    }

    public IEnumerable<SpecMismatch> Compare(SpecResponse actual)
    {
        if (actual.Status != Status)
        {
            yield return new SpecMismatch("status", StatusLine, Status.ToString(CultureInfo.InvariantCulture), actual.Status.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (name, value, line) in Headers)
        {
            var got = actual.Headers.GetValueOrDefault(name);
            if (got is null || !Matches(value, got))
            {
                yield return new SpecMismatch($"header {name}", line, value, got ?? "(missing)");
            }
        }

        if (Body is not null && !Matches(Body, actual.Body.Trim()))
        {
            yield return new SpecMismatch("body", BodyLine, Body, actual.Body);
        }
    }

    private static bool Matches(string expected, string actual) => IsPattern(expected)
        ? Regex.IsMatch(actual, expected[1..^1], RegexOptions.Singleline | RegexOptions.CultureInvariant, PatternTimeout)
        : expected == actual;

    private static bool IsPattern(string text) => text.Length >= 2 && text[0] == '/' && text[^1] == '/' && !text.Contains('\n', StringComparison.Ordinal);

    private static void CheckPattern(string text, int line)
    {
        if (!IsPattern(text))
        {
            return;
        }

        try
        {
            _ = new Regex(text[1..^1], RegexOptions.None, PatternTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new SpecFormatException(line, $"not a regular expression: {ex.Message}");
        }
    }
}

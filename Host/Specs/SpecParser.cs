using System.Text.RegularExpressions;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// Reads the spec format (after ytest / Test::Nginx): <c>=== Test N: name</c> opens a block; its
/// sections are <c>--- setup</c>, <c>--- request [admin]</c> (required), <c>--- response</c> and
/// <c>--- response_eval</c>; lines before the first block starting with <c>#</c> are comments. Strict:
/// anything else is a <see cref="SpecFormatException"/> naming its line, and the limits below keep a
/// hostile file from costing more than a refusal.
/// </summary>
internal static partial class SpecParser
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxBlocks = 200;
    public const int MaxLineLength = 64 * 1024;

    private static readonly string[] Sections = ["setup", "request", "response", "response_eval"];

    public static SpecFile Parse(string text, string? baseFolder = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new SpecFormatException(0, $"the spec is {text.Length} characters, over the limit of {MaxBytes}");
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<SpecBlock>();
        BlockBuilder? block = null;
        string? section = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length > MaxLineLength)
            {
                throw new SpecFormatException(number, $"line longer than {MaxLineLength} characters");
            }

            if (line.StartsWith("===", StringComparison.Ordinal))
            {
                var header = HeaderPattern().Match(line);
                if (!header.Success)
                {
                    throw new SpecFormatException(number, "a block header reads \"=== Test <n>: <name>\"");
                }

                if (block is not null)
                {
                    blocks.Add(block.Build());
                }

                if (blocks.Count == MaxBlocks)
                {
                    throw new SpecFormatException(number, $"more than {MaxBlocks} blocks");
                }

                block = new BlockBuilder(int.Parse(header.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), header.Groups["name"].Value.Trim(), number);
                section = null;
                continue;
            }

            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                var match = SectionPattern().Match(line);
                if (!match.Success || !Sections.Contains(match.Groups["name"].Value))
                {
                    throw new SpecFormatException(number, $"unknown section \"{line.Trim()}\" (expected one of: {string.Join(", ", Sections.Select(static s => "--- " + s))})");
                }

                if (block is null)
                {
                    throw new SpecFormatException(number, "a section before the first \"=== Test\" block");
                }

                section = match.Groups["name"].Value;
                block.Open(section, match.Groups["arg"].Value.Trim(), number);
                continue;
            }

            if (block is null)
            {
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    throw new SpecFormatException(number, "text before the first \"=== Test\" block (comments start with #)");
                }

                continue;
            }

            if (section is null)
            {
                if (line.Trim().Length > 0)
                {
                    throw new SpecFormatException(number, "text between a block header and its first section");
                }

                continue;
            }

            block.Add(line, number);
        }

        if (block is not null)
        {
            blocks.Add(block.Build());
        }

        if (blocks.Count == 0)
        {
            throw new SpecFormatException(0, "no \"=== Test <n>: <name>\" block");
        }

        return new SpecFile(blocks, baseFolder);
    }

    // Setup lines; a source follows "<<MARK" up to a line holding MARK alone, or comes from "< path".
    private static List<SpecSetup> ParseSetup(SpecSection section)
    {
        var items = new List<SpecSetup>();
        for (var i = 0; i < section.Lines.Count; i++)
        {
            var line = section.Lines[i].Trim();
            var number = section.FirstLine + i;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SetupPattern().Match(line);
            if (!match.Success)
            {
                throw new SpecFormatException(number, "a setup line is \"upstream <name>\", \"script <host>[/<phase>] <<END\" (or \"< file\") or \"module <name> <<END\" (or \"< file\")");
            }

            var (kind, name, rest) = (match.Groups["kind"].Value, match.Groups["name"].Value, match.Groups["rest"].Value.Trim());
            switch (kind)
            {
                case SpecSetup.Upstream when rest.Length == 0:
                    items.Add(new SpecSetup(kind, name, string.Empty, number));
                    break;
                case SpecSetup.Script or SpecSetup.Module when rest.StartsWith("<<", StringComparison.Ordinal) && rest.Length > 2:
                    var mark = rest[2..].Trim();
                    var end = -1;
                    for (var j = i + 1; j < section.Lines.Count; j++)
                    {
                        if (section.Lines[j].Trim() == mark)
                        {
                            end = j;
                            break;
                        }
                    }

                    if (end < 0)
                    {
                        throw new SpecFormatException(number, $"the here-document is not closed by a line \"{mark}\" in this section");
                    }

                    items.Add(new SpecSetup(kind, name, string.Join('\n', section.Lines.Skip(i + 1).Take(end - i - 1)), number));
                    i = end;
                    break;
                case SpecSetup.Script or SpecSetup.Module when rest.StartsWith('<') && rest.Length > 1:
                    items.Add(new SpecSetup(kind, name, "<" + rest[1..].Trim(), number));
                    break;
                default:
                    throw new SpecFormatException(number, $"\"{kind}\" does not take \"{rest}\" here");
            }

            if (kind == SpecSetup.Module && !ScriptModule.IsValidName(name))
            {
                throw new SpecFormatException(number, $"\"{name}\" is not a module name");
            }
        }

        return items;
    }

    /// <summary>The <c>{{expr}}</c> of a line, with the expression's text.</summary>
    public static MatchCollection Interpolations(string line) => InterpolationPattern().Matches(line);

    // Every "{{" closed on its line, every expression short and not empty.
    private static void CheckInterpolations(SpecSection section)
    {
        for (var i = 0; i < section.Lines.Count; i++)
        {
            var line = section.Lines[i];
            var found = Interpolations(line);
            var opened = CountOf(line, "{{");
            if (opened != found.Count || CountOf(line, "}}") != found.Count)
            {
                throw new SpecFormatException(section.FirstLine + i, "\"{{\" without its \"}}\" on the same line (write a C# expression between them)");
            }

            if (found.Any(static m => m.Groups["expr"].Value.Trim().Length == 0))
            {
                throw new SpecFormatException(section.FirstLine + i, "an empty \"{{}}\"");
            }
        }
    }

    private static int CountOf(string line, string what)
    {
        var count = 0;
        for (var at = line.IndexOf(what, StringComparison.Ordinal); at >= 0; at = line.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"\{\{(?<expr>(?:(?!\}\}).){0,1000}?)\}\}")]
    private static partial Regex InterpolationPattern();

    [GeneratedRegex(@"^=== Test (?<n>\d{1,6}):(?<name>.{1,200})$")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^--- (?<name>[a-z_]+)(?:[ \t]+(?<arg>\S+))?[ \t]*$")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"^(?<kind>upstream|script|module)[ \t]+(?<name>[A-Za-z0-9_.*/:-]{1,253})(?<rest>.*)$")]
    private static partial Regex SetupPattern();

    private sealed class BlockBuilder(int number, string name, int line)
    {
        private readonly Dictionary<string, (string Argument, int Line, List<string> Lines)> _sections = [];
        private List<string>? _current;

        // The block's last line with text (a section header at least): blank lines before the next header are not the block's.
        private int _lastLine;

        public void Open(string section, string argument, int at)
        {
            if (_sections.ContainsKey(section))
            {
                throw new SpecFormatException(at, $"\"--- {section}\" appears twice in this block");
            }

            if (argument.Length > 0 && !(section == "request" && argument == "admin"))
            {
                throw new SpecFormatException(at, $"\"--- {section}\" takes no argument (only \"--- request admin\" does)");
            }

            _current = [];
            _sections[section] = (argument, at + 1, _current);
            _lastLine = at;
        }

        public void Add(string text, int at)
        {
            _current!.Add(text);
            if (text.Trim().Length > 0)
            {
                _lastLine = at;
            }
        }

        public SpecBlock Build()
        {
            if (!_sections.TryGetValue("request", out var request) || request.Lines.All(static l => l.Trim().Length == 0))
            {
                throw new SpecFormatException(line, $"block \"{name}\" has no \"--- request\"");
            }

            if (!_sections.ContainsKey("response") && !_sections.ContainsKey("response_eval"))
            {
                throw new SpecFormatException(line, $"block \"{name}\" checks nothing: add \"--- response\" or \"--- response_eval\"");
            }

            foreach (var section in new[] { "request", "response" })
            {
                if (_sections.TryGetValue(section, out var text))
                {
                    CheckInterpolations(Section(text));
                }
            }

            var setup = _sections.TryGetValue("setup", out var s) ? ParseSetup(Section(s)) : [];
            return new SpecBlock(number, name, line, Math.Max(line, _lastLine), setup, Section(request), Optional("response"), Optional("response_eval"));
        }

        private SpecSection? Optional(string section) => _sections.TryGetValue(section, out var s) ? Section(s) : null;

        // Trailing blank lines belong to no section: the next "---" or "===" ends it.
        private static SpecSection Section((string Argument, int Line, List<string> Lines) s)
        {
            var lines = s.Lines.ToList();
            while (lines.Count > 0 && lines[^1].Trim().Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return new SpecSection(s.Argument, s.Line, lines);
        }
    }
}

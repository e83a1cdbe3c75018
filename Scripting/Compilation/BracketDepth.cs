namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The depth of <c>( [ {</c> in C# text, read lexically: comments, regular, verbatim and raw strings
/// and character literals are skipped (interpolation holes are counted as string text, so the scan
/// may undercount them; the worker's syntax-depth check sees those). Linear and without recursion.
/// </summary>
internal static class BracketDepth
{
    /// <summary>The 1-based line where the depth first exceeds <paramref name="limit"/>, or null.</summary>
    public static int? FindDeeperThan(string text, int limit)
    {
        var depth = 0;
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    line++;
                    i++;
                    break;
                case '/' when At(text, i + 1, '/'):
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    break;
                case '/' when At(text, i + 1, '*'):
                    i += 2;
                    while (i < text.Length && !(text[i] == '*' && At(text, i + 1, '/')))
                    {
                        line += text[i] == '\n' ? 1 : 0;
                        i++;
                    }

                    i += 2;
                    break;
                case '"':
                    i = SkipString(text, i, ref line);
                    break;
                case '\'':
                    i = SkipCharacter(text, i);
                    break;
                case '(' or '[' or '{':
                    if (++depth > limit)
                    {
                        return line;
                    }

                    i++;
                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    i++;
                    break;
                default:
                    i++;
                    break;
            }
        }

        return null;
    }

    // From the opening quote; returns the index after the closing one.
    private static int SkipString(string text, int start, ref int line)
    {
        var quotes = 0;
        while (At(text, start + quotes, '"'))
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            // Raw string: ends at a run of at least as many quotes.
            var i = start + quotes;
            while (i < text.Length)
            {
                if (text[i] == '\n')
                {
                    line++;
                }

                var run = 0;
                while (At(text, i + run, '"'))
                {
                    run++;
                }

                if (run >= quotes)
                {
                    return i + run;
                }

                i += Math.Max(run, 1);
            }

            return i;
        }

        var verbatim = At(text, start - 1, '@') || (At(text, start - 1, '$') && At(text, start - 2, '@'));
        var j = start + 1;
        while (j < text.Length)
        {
            var c = text[j];
            if (c == '"')
            {
                if (verbatim && At(text, j + 1, '"'))
                {
                    j += 2;
                    continue;
                }

                return j + 1;
            }

            if (c == '\n')
            {
                if (!verbatim)
                {
                    return j;
                }

                line++;
            }

            j += !verbatim && c == '\\' ? 2 : 1;
        }

        return j;
    }

    private static int SkipCharacter(string text, int start)
    {
        var j = start + 1;
        if (At(text, j, '\\'))
        {
            j += 2;
        }

        // An escape is at most a few characters ('\u0041'); stop at the line's end regardless.
        for (var k = 0; k < 10 && j < text.Length && text[j] != '\n'; k++, j++)
        {
            if (text[j] == '\'')
            {
                return j + 1;
            }
        }

        return start + 1;
    }

    private static bool At(string text, int index, char c) => index >= 0 && index < text.Length && text[index] == c;
}

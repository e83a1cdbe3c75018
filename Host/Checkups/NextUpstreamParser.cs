using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>Parses and formats nginx-style condition lists such as <c>"error timeout http_502"</c>.</summary>
internal static class NextUpstreamParser
{
    /// <summary>Each condition name and its flag; <c>off</c> stands alone.</summary>
    public static readonly ImmutableArray<(string Name, NextUpstreamConditions Flag)> Conditions =
    [
        ("error", NextUpstreamConditions.Error),
        ("timeout", NextUpstreamConditions.Timeout),
        ("http_500", NextUpstreamConditions.Http500),
        ("http_502", NextUpstreamConditions.Http502),
        ("http_503", NextUpstreamConditions.Http503),
        ("http_504", NextUpstreamConditions.Http504),
        ("http_429", NextUpstreamConditions.Http429),
        ("http_403", NextUpstreamConditions.Http403),
        ("http_404", NextUpstreamConditions.Http404),
        ("non_idempotent", NextUpstreamConditions.NonIdempotent),
        ("off", NextUpstreamConditions.Off),
    ];

    /// <summary>Parses a space-separated list; <paramref name="error"/> says what is wrong, without a field path.</summary>
    public static bool TryParse(string text, out NextUpstreamConditions conditions, out string? error)
    {
        conditions = NextUpstreamConditions.Off;
        error = null;
        var tokens = text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            error = "needs at least one condition (or \"off\")";
            return false;
        }

        foreach (var token in tokens)
        {
            var index = Conditions.IndexOf(Conditions.FirstOrDefault(c => c.Name == token));
            if (index < 0)
            {
                error = $"unknown condition \"{token}\" (expected {string.Join(' ', Conditions.Select(c => c.Name))})";
                return false;
            }

            if (Conditions[index].Flag == NextUpstreamConditions.Off && tokens.Length > 1)
            {
                error = "\"off\" cannot be combined with other conditions";
                return false;
            }

            conditions |= Conditions[index].Flag;
        }

        return true;
    }

    /// <summary>The canonical text of <paramref name="conditions"/>, as GET /upstream shows it.</summary>
    public static string Format(NextUpstreamConditions conditions) => conditions == NextUpstreamConditions.Off
        ? "off"
        : string.Join(' ', Conditions.Where(c => c.Flag != NextUpstreamConditions.Off && conditions.HasFlag(c.Flag)).Select(c => c.Name));

    /// <summary>The condition a response status matches, or <see cref="NextUpstreamConditions.Off"/>.</summary>
    public static NextUpstreamConditions ForStatus(int status) => status switch
    {
        500 => NextUpstreamConditions.Http500,
        502 => NextUpstreamConditions.Http502,
        503 => NextUpstreamConditions.Http503,
        504 => NextUpstreamConditions.Http504,
        429 => NextUpstreamConditions.Http429,
        403 => NextUpstreamConditions.Http403,
        404 => NextUpstreamConditions.Http404,
        _ => NextUpstreamConditions.Off,
    };
}

namespace Slardar.Scriptable.Host.Specs;

/// <summary>A spec file that does not follow the format: where (1-based line, 0 for the whole file) and why.</summary>
internal sealed class SpecFormatException : Exception
{
    public SpecFormatException(int line, string message)
        : base(line > 0 ? $"line {line}: {message}" : message)
    {
        Line = line;
    }

    public SpecFormatException()
    {
    }

    public SpecFormatException(string message)
        : base(message)
    {
    }

    public SpecFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }
}

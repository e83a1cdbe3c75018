// A module: C# shared by scripts. Any script that says `using Hello.Greetings;` (or names
// Hello.Greetings.Greeting) gets it compiled in; saving this file recompiles those scripts together.
namespace Hello.Greetings;

public static class Greeting
{
    /// <summary>"Hello, Ada!" for a name, "Hello, world!" without one.</summary>
    public static string For(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Hello, world!" : $"Hello, {name.Trim()}!";
}

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>The C# file generated around a script, and where its method's braces must end up.</summary>
/// <param name="Text">The generated file.</param>
/// <param name="MethodOpenBrace">Offset of the '{' that opens the script's method.</param>
/// <param name="MethodCloseBrace">Offset of the '}' that closes it; a script with unbalanced braces moves it.</param>
internal sealed record GeneratedScript(string Text, int MethodOpenBrace, int MethodCloseBrace);

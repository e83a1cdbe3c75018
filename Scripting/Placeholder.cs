namespace Slardar.Scriptable.Scripting;
internal static class Placeholder { }

using System.Collections.Frozen;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The guard rails' rules, shared by the source check (good messages, with lines) and the image check
/// (authoritative: it also sees what the compiler generates). An API is identified by the namespace
/// and name of its outermost type (generic arity dropped) and, for a member, the member's name
/// (properties and events by their own name, not their accessors').
/// <para>
/// These are guard rails for trusted operators, not a sandbox: .NET has no in-process security
/// boundary. They keep scripts from the process (files, network, processes, environment, GC, assembly
/// loading, interop, unsafe code), from code the budget cannot stop (threads, timers, blocking waits),
/// and from APIs that keep a script's code loaded after its unload (reflection, dynamic, shared pools,
/// serializer caches).
/// </para>
/// </summary>
internal static class ScriptApiPolicy
{
    public const string Files = "file system and stream access";
    public const string Network = "network access";
    public const string Processes = "processes and debugging";
    public const string Reflection = "reflection (it also keeps script code loaded)";
    public const string Interop = "interop and raw memory access";
    public const string Threads = "threads, timers and blocking waits (the script's budget cannot stop them)";
    public const string ProcessEnvironment = "the process environment";
    public const string Gc = "the garbage collector";
    public const string Loading = "assembly loading";
    public const string Dynamic = "dynamic binding (it also keeps script code loaded)";
    public const string Internals = "the gateway's internals";
    public const string Json = "serializing arbitrary types (System.Text.Json caches them, which keeps script code loaded)";
    public const string Pools = "shared pools (they outlive the script and can keep its code loaded)";
    public const string Unsafe = "unsafe code";

    // The most specific matching namespace decides; null allows.
    private static readonly (string Namespace, string? Reason)[] Namespaces =
    [
        ("System.IO", Files),
        ("System.Net", Network),
        ("System.Diagnostics", Processes),
        ("System.Diagnostics.CodeAnalysis", null),
        ("System.Reflection", Reflection),
        ("System.Runtime.Serialization", Reflection),
        ("System.ComponentModel", Reflection),
        ("System.Resources", Reflection),
        ("System.Runtime.InteropServices", Interop),
        ("System.Runtime.Loader", Loading),
        ("System.Threading", Threads),
        ("System.Threading.Tasks", null),
        ("System.Security", ProcessEnvironment),
        ("Microsoft.Win32", ProcessEnvironment),
        ("System.Dynamic", Dynamic),
        ("Microsoft.CSharp", Dynamic),
        ("System.Linq.Expressions", Reflection),
        ("System.Text.Json.Serialization", Json),
        ("Slardar", Internals),
        ("Slardar.Scriptable.Scripting.Api", null),
    ];

    // Types allowed in a denied namespace: harmless, or emitted by the compiler as attributes.
    private static readonly FrozenSet<string> AllowedTypes = FrozenSet.Create(
        StringComparer.Ordinal,
        "System.Diagnostics.Stopwatch",
        "System.Diagnostics.ConditionalAttribute",
        "System.Diagnostics.DebuggableAttribute",
        "System.Diagnostics.DebuggerBrowsableAttribute",
        "System.Diagnostics.DebuggerBrowsableState",
        "System.Diagnostics.DebuggerDisplayAttribute",
        "System.Diagnostics.DebuggerHiddenAttribute",
        "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute",
        "System.Diagnostics.DebuggerStepperBoundaryAttribute",
        "System.Diagnostics.UnreachableException",
        "System.Threading.CancellationToken",
        "System.Threading.Interlocked",
        "System.Threading.LazyThreadSafetyMode",
        "System.Threading.Timeout",
        "System.Threading.Volatile",
        "System.Runtime.InteropServices.InAttribute",
        "System.Runtime.InteropServices.OutAttribute");

    // Types denied in an allowed namespace.
    private static readonly FrozenDictionary<string, string> DeniedTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["System.Activator"] = Reflection,
        ["System.AppContext"] = ProcessEnvironment,
        ["System.AppDomain"] = Loading,
        ["System.ArgIterator"] = Interop,
        ["System.Console"] = Files,
        ["System.Environment"] = ProcessEnvironment,
        ["System.GC"] = Gc,
        ["System.ModuleHandle"] = Reflection,
        ["System.RuntimeFieldHandle"] = Reflection,
        ["System.RuntimeMethodHandle"] = Reflection,
        ["System.RuntimeTypeHandle"] = Reflection,
        ["System.Type"] = Reflection,
        ["System.TypedReference"] = Interop,
        ["System.Buffers.ArrayPool"] = Pools,
        ["System.Buffers.MemoryPool"] = Pools,
        ["System.Runtime.ControlledExecution"] = Threads,
        ["System.Runtime.DependentHandle"] = Gc,
        ["System.Runtime.GCSettings"] = Gc,
        ["System.Runtime.JitInfo"] = ProcessEnvironment,
        ["System.Runtime.MemoryFailPoint"] = Gc,
        ["System.Runtime.ProfileOptimization"] = ProcessEnvironment,
        ["System.Runtime.CompilerServices.CallSite"] = Dynamic,
        ["System.Runtime.CompilerServices.ModuleInitializerAttribute"] = Loading,
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = Reflection,
        ["System.Runtime.CompilerServices.Unsafe"] = Interop,
        ["System.Runtime.CompilerServices.UnsafeAccessorAttribute"] = Reflection,
        ["System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute"] = Reflection,
        ["System.Threading.Tasks.Parallel"] = Threads,
        ["System.Threading.Tasks.ParallelOptions"] = Threads,
        ["System.Threading.Tasks.TaskFactory"] = Threads,
        ["System.Threading.Tasks.TaskScheduler"] = Threads,
        ["System.Text.Json.JsonSerializer"] = Json,
        ["System.Text.Json.JsonSerializerOptions"] = Json,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Members denied on allowed types.
    private static readonly FrozenDictionary<(string Type, string Member), string> DeniedMembers = new Dictionary<(string, string), string>
    {
        [("System.Object", "GetType")] = Reflection,
        [("System.Delegate", "Method")] = Reflection,
        [("System.Delegate", "DynamicInvoke")] = Reflection,
        [("System.Delegate", "CreateDelegate")] = Reflection,
        [("System.MulticastDelegate", "Method")] = Reflection,
        [("System.MulticastDelegate", "DynamicInvoke")] = Reflection,
        [("System.Exception", "TargetSite")] = Reflection,
        [("System.Threading.CancellationToken", "Register")] = Threads,
        [("System.Threading.CancellationToken", "UnsafeRegister")] = Threads,
        [("System.Threading.CancellationToken", "WaitHandle")] = Threads,
        [("System.Threading.Tasks.Task", ".ctor")] = Threads,
        [("System.Threading.Tasks.Task", "ContinueWith")] = Threads,
        [("System.Threading.Tasks.Task", "Factory")] = Threads,
        [("System.Threading.Tasks.Task", "Result")] = Threads,
        [("System.Threading.Tasks.Task", "Run")] = Threads,
        [("System.Threading.Tasks.Task", "RunSynchronously")] = Threads,
        [("System.Threading.Tasks.Task", "Start")] = Threads,
        [("System.Threading.Tasks.Task", "Wait")] = Threads,
        [("System.Threading.Tasks.Task", "WaitAll")] = Threads,
        [("System.Threading.Tasks.Task", "WaitAny")] = Threads,
        [("System.Threading.Tasks.ValueTask", "Result")] = Threads,
    }.ToFrozenDictionary();

    // Generic methods denied on allowed types: their type argument would land in a process-wide cache.
    private static readonly FrozenSet<(string Type, string Member)> DeniedGenericMembers = FrozenSet.Create(
        ("System.Text.Json.Nodes.JsonValue", "Create"));

    // Denied when a script calls them itself; the compiler's own await code calls them too.
    private static readonly FrozenSet<(string Type, string Member)> DeniedInSource = FrozenSet.Create(
        ("System.Runtime.CompilerServices.TaskAwaiter", "GetResult"),
        ("System.Runtime.CompilerServices.ValueTaskAwaiter", "GetResult"),
        ("System.Runtime.CompilerServices.ConfiguredTaskAwaitable", "GetResult"),
        ("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable", "GetResult"));

    // Helpers the compiler itself calls (array and span initialization, ranges, inline arrays behind
    // collection expressions, List<T> collection expressions, the thread check of iterators), allowed
    // in the image although a script may not name their types.
    private static readonly FrozenSet<(string Type, string Member)> CompilerHelpers = FrozenSet.Create(
        ("System.Environment", "CurrentManagedThreadId"),
        ("System.Runtime.CompilerServices.RuntimeHelpers", "CreateSpan"),
        ("System.Runtime.CompilerServices.RuntimeHelpers", "GetSubArray"),
        ("System.Runtime.CompilerServices.RuntimeHelpers", "InitializeArray"),
        ("System.Runtime.CompilerServices.RuntimeHelpers", "IsReferenceOrContainsReferences"),
        ("System.Runtime.CompilerServices.Unsafe", "Add"),
        ("System.Runtime.CompilerServices.Unsafe", "As"),
        ("System.Runtime.CompilerServices.Unsafe", "AsRef"),
        ("System.Runtime.InteropServices.CollectionsMarshal", "AsSpan"),
        ("System.Runtime.InteropServices.CollectionsMarshal", "SetCount"),
        ("System.Runtime.InteropServices.MemoryMarshal", "CreateReadOnlySpan"),
        ("System.Runtime.InteropServices.MemoryMarshal", "CreateSpan"));

    // Types the image may mention without using: those of the allowed members above, and types that
    // only appear in their signatures: System.Type in the state-machine attributes on every async
    // method and iterator, RuntimeFieldHandle in RuntimeHelpers.InitializeArray.
    private static readonly FrozenSet<string> CompilerHelperTypes = FrozenSet.Create(
        StringComparer.Ordinal,
        "System.Type",
        "System.Environment",
        "System.RuntimeFieldHandle",
        "System.Runtime.CompilerServices.RuntimeHelpers",
        "System.Runtime.CompilerServices.Unsafe",
        "System.Runtime.InteropServices.CollectionsMarshal",
        "System.Runtime.InteropServices.MemoryMarshal");

    /// <summary>Why scripts may not use the type <paramref name="name"/> in <paramref name="ns"/>; null when they may.</summary>
    public static string? CheckType(string ns, string name, ApiLayer layer)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(name);
        var type = FullName(ns, name);
        if (layer == ApiLayer.Image && CompilerHelperTypes.Contains(type))
        {
            return null;
        }

        return TypeReason(ns, type);
    }

    /// <summary>Why scripts may not use member <paramref name="member"/> of the type; null when they may.</summary>
    public static string? CheckMember(string ns, string typeName, string member, bool isGenericMethod, ApiLayer layer)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(member);
        var type = FullName(ns, typeName);
        if (layer == ApiLayer.Image && CompilerHelpers.Contains((type, member)))
        {
            return null;
        }

        if (TypeReason(ns, type) is { } reason)
        {
            return reason;
        }

        if (DeniedMembers.TryGetValue((type, member), out reason))
        {
            return reason;
        }

        if (isGenericMethod && DeniedGenericMembers.Contains((type, member)))
        {
            return Json;
        }

        return layer == ApiLayer.Source && DeniedInSource.Contains((type, member)) ? Threads : null;
    }

    private static string? TypeReason(string ns, string type)
    {
        if (AllowedTypes.Contains(type))
        {
            return null;
        }

        if (DeniedTypes.TryGetValue(type, out var reason))
        {
            return reason;
        }

        var bestLength = -1;
        foreach (var (prefix, prefixReason) in Namespaces)
        {
            if (prefix.Length > bestLength
                && ns.StartsWith(prefix, StringComparison.Ordinal)
                && (ns.Length == prefix.Length || ns[prefix.Length] == '.'))
            {
                bestLength = prefix.Length;
                reason = prefixReason;
            }
        }

        return reason;
    }

    private static string FullName(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}

using System.Collections.Frozen;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The guard rails' rules: an ALLOW list of the namespaces, types and members an untrusted script may
/// reference, shared by the source check (<see cref="ScriptSourceGuard"/>: good messages, with lines)
/// and the image check (<see cref="ScriptImageGuard"/>: authoritative, it also sees what the compiler
/// generates). This file is the one place the list is written; docs/SECURITY.md points here.
/// <para>
/// How to read the tables below. An API is identified by the namespace and name of its outermost
/// type (generic arity dropped: <c>List`1</c> is <c>System.Collections.Generic.List</c>; a nested type
/// counts as its outermost one) and, for a member, the member's name (properties and events by their
/// own name, constructors as <c>.ctor</c>). In <see cref="Allowed"/>:
/// <c>"Ns.*"</c> allows every type of that namespace (not of its sub-namespaces); <c>"Ns.Type"</c>
/// allows a type and all its members; <c>"Ns.Type: A B"</c> allows the type's name and only the
/// members A and B. <see cref="Denied"/> then takes out types (<c>"Ns.Type"</c>) and members
/// (<c>"Ns.Type::Member"</c>; <c>"::Member&lt;&gt;"</c> for its generic overloads only) with the reason
/// scripts are told. Anything not allowed is refused; the reason then comes from
/// <see cref="ReasonsByNamespace"/> or says the API is not on the list. Types the script's own
/// compilation defines (its class, closures, anonymous types and delegates) are always allowed.
/// </para>
/// <para>
/// These are guard rails for operators' scripts, not a sandbox: .NET has no in-process security
/// boundary. The list keeps scripts from the process (files, network, processes, environment, GC,
/// assembly loading, interop, unsafe code), from process-wide state (culture defaults, AppContext
/// switches, the console, time zone caches, regex cache size, encoding providers, shared pools),
/// from code the budget cannot stop (threads, timers, blocking waits), and from APIs that keep a
/// script's code loaded after its unload (reflection, dynamic, serializer caches).
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
    public const string ProcessWide = "it changes state shared by the whole process (every host's scripts and the gateway itself)";
    public const string Gc = "the garbage collector";
    public const string Loading = "assembly loading";
    public const string Dynamic = "dynamic binding (it also keeps script code loaded)";
    public const string Internals = "the gateway's internals";
    public const string Json = "serializing arbitrary types (System.Text.Json caches them, which keeps script code loaded)";
    public const string Pools = "shared pools (they outlive the script and can keep its code loaded)";
    public const string Unsafe = "unsafe code";
    public const string AsyncVoid = "async void (an exception it throws after its first await ends the process)";
    public const string Crashes = "a continuation that throws there ends the process";
    public const string NotListed = "it is not on the scripts' allow list (Scripting/Compilation/ScriptApiPolicy.cs)";

    /// <summary>What scripts may reference, in the source and in the image.</summary>
    private static readonly string[] Allowed =
    [
        // System: the language's own types, values and small helpers.
        "System.Object", "System.ValueType", "System.Enum", "System.Void", "System.String", "System.Array",
        "System.Boolean", "System.Char", "System.Byte", "System.SByte", "System.Int16", "System.UInt16",
        "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Int128", "System.UInt128",
        "System.IntPtr", "System.UIntPtr", "System.Half", "System.Single", "System.Double", "System.Decimal",
        "System.Math", "System.MathF", "System.MidpointRounding", "System.Convert", "System.Base64FormattingOptions",
        "System.BitConverter", "System.Guid", "System.HashCode", "System.Random", "System.Version", "System.TypeCode",
        "System.DateTime", "System.DateTimeOffset", "System.DateTimeKind", "System.DayOfWeek", "System.TimeSpan",
        "System.DateOnly", "System.TimeOnly", "System.TimeZoneInfo", "System.TimeProvider: System GetUtcNow GetLocalNow LocalTimeZone GetTimestamp GetElapsedTime TimestampFrequency",
        "System.Uri", "System.UriBuilder", "System.UriKind", "System.UriComponents", "System.UriFormat", "System.UriPartial",
        "System.UriHostNameType", "System.UriCreationOptions",
        "System.StringComparer", "System.StringComparison", "System.StringSplitOptions", "System.CharEnumerator",
        "System.StringNormalizationExtensions", "System.FormattableString",
        "System.Span", "System.ReadOnlySpan", "System.Memory", "System.ReadOnlyMemory", "System.MemoryExtensions",
        "System.ArraySegment", "System.SequencePosition", "System.Index", "System.Range",
        "System.Tuple", "System.ValueTuple", "System.TupleExtensions", "System.Nullable", "System.Lazy",
        "System.Func", "System.Action", "System.Predicate", "System.Comparison", "System.Converter",
        "System.Delegate", "System.MulticastDelegate",
        "System.IComparable", "System.IEquatable", "System.IFormattable", "System.ISpanFormattable",
        "System.IUtf8SpanFormattable", "System.IParsable", "System.ISpanParsable", "System.IUtf8SpanParsable",
        "System.IFormatProvider", "System.ICustomFormatter", "System.IConvertible", "System.ICloneable",
        "System.IDisposable", "System.IAsyncDisposable",
        "System.Attribute", "System.AttributeUsageAttribute", "System.AttributeTargets", "System.FlagsAttribute",
        "System.ObsoleteAttribute", "System.ParamArrayAttribute",
        "System.Exception", "System.SystemException", "System.ApplicationException", "System.AggregateException",
        "System.ArgumentException", "System.ArgumentNullException", "System.ArgumentOutOfRangeException",
        "System.ArithmeticException", "System.DivideByZeroException", "System.OverflowException",
        "System.FormatException", "System.IndexOutOfRangeException", "System.InvalidCastException",
        "System.InvalidOperationException", "System.NotImplementedException", "System.NotSupportedException",
        "System.NullReferenceException", "System.ObjectDisposedException", "System.OperationCanceledException",
        "System.TimeoutException", "System.UriFormatException",
        "System.Environment: NewLine",

        // Collections and LINQ.
        "System.Collections.*", "System.Collections.Generic.*", "System.Collections.Concurrent.*",
        "System.Collections.Immutable.*", "System.Collections.Frozen.*", "System.Collections.ObjectModel.*",
        "System.Collections.Specialized.*",
        "System.Linq.*",

        // Text.
        "System.Text.StringBuilder", "System.Text.Encoding", "System.Text.UTF8Encoding", "System.Text.ASCIIEncoding",
        "System.Text.UnicodeEncoding", "System.Text.UTF32Encoding", "System.Text.Rune", "System.Text.Ascii",
        "System.Text.NormalizationForm", "System.Text.CompositeFormat", "System.Text.SpanLineEnumerator",
        "System.Text.SpanRuneEnumerator", "System.Text.StringRuneEnumerator",
        "System.Text.Unicode.*",
        "System.Text.RegularExpressions.*",
        "System.Text.Json.JsonDocument", "System.Text.Json.JsonDocumentOptions", "System.Text.Json.JsonElement",
        "System.Text.Json.JsonProperty", "System.Text.Json.JsonValueKind", "System.Text.Json.JsonException",
        "System.Text.Json.Utf8JsonWriter", "System.Text.Json.JsonWriterOptions", "System.Text.Json.Utf8JsonReader",
        "System.Text.Json.JsonReaderOptions", "System.Text.Json.JsonReaderState", "System.Text.Json.JsonTokenType",
        "System.Text.Json.JsonCommentHandling", "System.Text.Json.JsonEncodedText",
        "System.Text.Json.JsonSerializerOptions: .ctor WriteIndented IndentSize IndentCharacter NewLine Encoder MaxDepth",
        "System.Text.Json.JsonSerializerDefaults",
        "System.Text.Json.Nodes.*",
        "System.Text.Encodings.Web.*",

        // Numbers, culture, time zones.
        "System.Numerics.*",
        "System.Globalization.*",

        // Buffers and binary data.
        "System.Buffers.*", "System.Buffers.Binary.*", "System.Buffers.Text.*",

        // Hashing, HMAC and random numbers: static one-shot APIs.
        "System.Security.Cryptography.SHA1: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.SHA256: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.SHA384: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.SHA512: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.MD5: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.HMACSHA1: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.HMACSHA256: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.HMACSHA384: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.HMACSHA512: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.HMACMD5: HashData TryHashData HashSizeInBits HashSizeInBytes",
        "System.Security.Cryptography.IncrementalHash",
        "System.Security.Cryptography.HashAlgorithmName",
        "System.Security.Cryptography.CryptographicException",
        "System.Security.Cryptography.RandomNumberGenerator: Fill GetBytes GetInt32 GetHexString GetString GetItems Shuffle",
        "System.Security.Cryptography.CryptographicOperations: FixedTimeEquals ZeroMemory",

        // Web and network values (no I/O).
        "System.Net.WebUtility", "System.Net.IPAddress", "System.Net.IPNetwork", "System.Net.HttpStatusCode",
        "System.Net.Sockets.AddressFamily",
        "System.Web.HttpUtility",

        // Tasks (awaiting, not scheduling) and lock-free primitives.
        "System.Threading.Tasks.Task", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.TaskStatus",
        "System.Threading.Tasks.TaskCanceledException", "System.Threading.Tasks.ConfigureAwaitOptions",
        "System.Threading.Tasks.TaskAsyncEnumerableExtensions",
        "System.Threading.CancellationToken", "System.Threading.Interlocked", "System.Threading.Volatile",
        "System.Threading.Timeout", "System.Threading.LazyThreadSafetyMode",
        // What await and foreach over async streams hand to the script (ConfigureAwait, Task.Yield).
        "System.Runtime.CompilerServices.TaskAwaiter", "System.Runtime.CompilerServices.ValueTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable", "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable",
        "System.Runtime.CompilerServices.YieldAwaitable", "System.Runtime.CompilerServices.ConfiguredCancelableAsyncEnumerable",
        "System.Runtime.CompilerServices.ConfiguredAsyncDisposable",
        "System.Runtime.CompilerServices.MethodImplAttribute", "System.Runtime.CompilerServices.MethodImplOptions",
        "System.Runtime.CompilerServices.CallerMemberNameAttribute", "System.Runtime.CompilerServices.CallerLineNumberAttribute",
        "System.Runtime.CompilerServices.CallerArgumentExpressionAttribute",
        // What string interpolation compiles to (string.Create(CultureInfo.InvariantCulture, $"...") names it).
        "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler",

        // Diagnostics that touch nothing outside the script.
        "System.Diagnostics.Stopwatch", "System.Diagnostics.UnreachableException",
        "System.Diagnostics.ConditionalAttribute", "System.Diagnostics.DebuggerBrowsableAttribute",
        "System.Diagnostics.DebuggerBrowsableState", "System.Diagnostics.DebuggerDisplayAttribute",
        "System.Diagnostics.DebuggerHiddenAttribute", "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute", "System.Diagnostics.DebuggerStepperBoundaryAttribute",
        "System.Diagnostics.CodeAnalysis.*",

        // The script API. Its services (Cache, Redis, Limit) are interfaces here: the sanctioned door
        // to the gateway's caches, Redis connections and rate limits, each call bounded by the budget.
        "Slardar.Scriptable.Scripting.Api.*",
    ];

    /// <summary>Taken out of what <see cref="Allowed"/> lets in, or refused with a more precise reason than "not listed".</summary>
    private static readonly (string Api, string Reason)[] Denied =
    [
        // Process-wide state: a change would reach every other host's scripts and the gateway.
        ("System.Globalization.CultureInfo::DefaultThreadCurrentCulture", ProcessWide),
        ("System.Globalization.CultureInfo::DefaultThreadCurrentUICulture", ProcessWide),
        // The current culture object is the process's default one and is not read-only: a script
        // setting its NumberFormat would change every host's formatting. Use InvariantCulture or
        // GetCultureInfo(name) (read-only, cached).
        ("System.Globalization.CultureInfo::CurrentCulture", ProcessWide),
        ("System.Globalization.CultureInfo::CurrentUICulture", ProcessWide),
        ("System.Globalization.CultureInfo::InstalledUICulture", ProcessWide),
        ("System.Globalization.NumberFormatInfo::CurrentInfo", ProcessWide),
        ("System.Globalization.DateTimeFormatInfo::CurrentInfo", ProcessWide),
        ("System.TimeZoneInfo::ClearCachedData", ProcessWide),
        ("System.Text.RegularExpressions.Regex::CacheSize", ProcessWide),
        ("System.Text.RegularExpressions.Regex::CompileToAssembly", Loading),
        ("System.Text.RegularExpressions.RegexRunner", Reflection),
        ("System.Text.RegularExpressions.RegexRunnerFactory", Reflection),
        ("System.Text.Encoding::RegisterProvider", ProcessWide),
        ("System.Threading.Interlocked::MemoryBarrierProcessWide", ProcessWide),
        ("System.String::Intern", ProcessWide),
        ("System.AppContext", ProcessWide),
        ("System.Console", ProcessWide),
        ("System.GC", Gc),
        ("System.Runtime.GCSettings", Gc),
        ("System.AppDomain", Loading),
        ("System.Activator", Reflection),
        ("System.Type", Reflection),
        ("System.Runtime.CompilerServices.RuntimeHelpers", Reflection),
        ("System.Runtime.CompilerServices.Unsafe", Interop),
        ("System.Globalization.CultureInfo::ClearCachedData", ProcessWide),
        // Pinning: a handle never disposed pins the memory for good.
        ("System.Buffers.MemoryHandle", Interop),

        // Reflection reachable from allowed types.
        ("System.Object::GetType", Reflection),
        ("System.Delegate::Method", Reflection),
        ("System.Delegate::DynamicInvoke", Reflection),
        ("System.Delegate::CreateDelegate", Reflection),
        ("System.MulticastDelegate::Method", Reflection),
        ("System.MulticastDelegate::DynamicInvoke", Reflection),
        ("System.Exception::TargetSite", Reflection),
        ("System.Array::CreateInstance", Reflection),
        ("System.Array::CreateInstanceFromArrayType", Reflection),

        // Code the budget cannot stop: other threads, timers, blocking waits.
        ("System.Threading.CancellationToken::Register", Threads),
        ("System.Threading.CancellationToken::UnsafeRegister", Threads),
        ("System.Threading.CancellationToken::WaitHandle", Threads),
        ("System.Threading.Tasks.Task::.ctor", Threads),
        ("System.Threading.Tasks.Task::ContinueWith", Threads),
        ("System.Threading.Tasks.Task::Factory", Threads),
        ("System.Threading.Tasks.Task::Result", Threads),
        ("System.Threading.Tasks.Task::Run", Threads),
        ("System.Threading.Tasks.Task::RunSynchronously", Threads),
        ("System.Threading.Tasks.Task::Start", Threads),
        ("System.Threading.Tasks.Task::Wait", Threads),
        ("System.Threading.Tasks.Task::WaitAll", Threads),
        ("System.Threading.Tasks.Task::WaitAny", Threads),
        ("System.Threading.Tasks.ValueTask::Result", Threads),
        ("System.Threading.Tasks.TaskAsyncEnumerableExtensions::ToBlockingEnumerable", Threads),
        ("System.Collections.Concurrent.BlockingCollection", Threads),
        ("System.Linq.ParallelEnumerable", Threads),
        ("System.Linq.ParallelQuery", Threads),
        ("System.Linq.OrderedParallelQuery", Threads),
        ("System.Linq.ParallelExecutionMode", Threads),
        ("System.Linq.ParallelMergeOptions", Threads),
        ("System.Runtime.CompilerServices.AsyncVoidMethodBuilder", AsyncVoid),
        // Continuations registered by hand run on the thread pool, outside the script's run.
        ("System.Runtime.CompilerServices.TaskAwaiter::OnCompleted", Crashes),
        ("System.Runtime.CompilerServices.TaskAwaiter::UnsafeOnCompleted", Crashes),
        ("System.Runtime.CompilerServices.ValueTaskAwaiter::OnCompleted", Crashes),
        ("System.Runtime.CompilerServices.ValueTaskAwaiter::UnsafeOnCompleted", Crashes),
        ("System.Runtime.CompilerServices.ConfiguredTaskAwaitable::OnCompleted", Crashes),
        ("System.Runtime.CompilerServices.ConfiguredTaskAwaitable::UnsafeOnCompleted", Crashes),
        ("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable::OnCompleted", Crashes),
        ("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable::UnsafeOnCompleted", Crashes),
        ("System.Runtime.CompilerServices.YieldAwaitable::OnCompleted", Crashes),
        ("System.Runtime.CompilerServices.YieldAwaitable::UnsafeOnCompleted", Crashes),

        // Expression trees and queryables compile code at run time.
        ("System.Linq.Queryable", Reflection),
        ("System.Linq.EnumerableQuery", Reflection),
        ("System.Linq.IQueryable", Reflection),
        ("System.Linq.IOrderedQueryable", Reflection),
        ("System.Linq.IQueryProvider", Reflection),

        // Serializer caches and shared pools.
        ("System.Text.Json.Nodes.JsonValue::Create<>", Json),
        ("System.Text.Json.JsonSerializer", Json),
        ("System.Buffers.ArrayPool", Pools),
        ("System.Buffers.MemoryPool", Pools),
    ];

    /// <summary>
    /// Allowed in the compiled image only: what the compiler itself emits for async methods,
    /// iterators, interpolation, collection expressions, ranges and the like, and types that only
    /// appear in those helpers' signatures (<c>System.Type</c> in the state-machine attributes,
    /// <c>RuntimeFieldHandle</c> in <c>InitializeArray</c>). A script may not name them.
    /// </summary>
    private static readonly string[] ImageOnly =
    [
        "System.Type:", "System.RuntimeFieldHandle:", "System.Environment: CurrentManagedThreadId",
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder", "System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder",
        "System.Runtime.CompilerServices.AsyncIteratorMethodBuilder", "System.Runtime.CompilerServices.IAsyncStateMachine",
        "System.Runtime.CompilerServices.INotifyCompletion", "System.Runtime.CompilerServices.ICriticalNotifyCompletion",
        "System.Runtime.CompilerServices.AsyncStateMachineAttribute", "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute", "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
        "System.Runtime.CompilerServices.CompilationRelaxationsAttribute", "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
        "System.Runtime.CompilerServices.ExtensionAttribute", "System.Runtime.CompilerServices.DateTimeConstantAttribute",
        "System.Runtime.CompilerServices.FormattableStringFactory", "System.Runtime.CompilerServices.IsReadOnlyAttribute",
        "System.Runtime.CompilerServices.IsByRefLikeAttribute", "System.Runtime.CompilerServices.IsUnmanagedAttribute",
        "System.Runtime.CompilerServices.IsExternalInit", "System.Runtime.CompilerServices.InlineArrayAttribute",
        "System.Runtime.CompilerServices.TupleElementNamesAttribute", "System.Runtime.CompilerServices.NullableAttribute",
        "System.Runtime.CompilerServices.NullableContextAttribute", "System.Runtime.CompilerServices.NativeIntegerAttribute",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute", "System.Runtime.CompilerServices.ScopedRefAttribute",
        "System.Runtime.CompilerServices.RequiresLocationAttribute", "System.Runtime.CompilerServices.ParamCollectionAttribute",
        "System.Runtime.CompilerServices.IsVolatile", "System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute",
        "System.Runtime.CompilerServices.EnumeratorCancellationAttribute", "System.Runtime.CompilerServices.DecimalConstantAttribute",
        "System.Runtime.CompilerServices.PreserveBaseOverridesAttribute",
        "System.Runtime.CompilerServices.InlineArray2", "System.Runtime.CompilerServices.InlineArray3",
        "System.Runtime.CompilerServices.InlineArray4", "System.Runtime.CompilerServices.InlineArray5",
        "System.Runtime.CompilerServices.InlineArray6", "System.Runtime.CompilerServices.InlineArray7",
        "System.Runtime.CompilerServices.InlineArray8", "System.Runtime.CompilerServices.InlineArray9",
        "System.Runtime.CompilerServices.InlineArray10", "System.Runtime.CompilerServices.InlineArray11",
        "System.Runtime.CompilerServices.InlineArray12", "System.Runtime.CompilerServices.InlineArray13",
        "System.Runtime.CompilerServices.InlineArray14", "System.Runtime.CompilerServices.InlineArray15",
        "System.Runtime.CompilerServices.InlineArray16",
        // await in catch and finally blocks rethrows through it.
        "System.Runtime.ExceptionServices.ExceptionDispatchInfo: Capture Throw",
        "System.Runtime.CompilerServices.RuntimeHelpers: CreateSpan GetSubArray InitializeArray IsReferenceOrContainsReferences",
        "System.Runtime.CompilerServices.Unsafe: Add As AsRef",
        "System.Runtime.InteropServices.CollectionsMarshal: AsSpan SetCount",
        "System.Runtime.InteropServices.MemoryMarshal: CreateReadOnlySpan CreateSpan",
        "System.Runtime.InteropServices.ImmutableCollectionsMarshal: AsImmutableArray",
        "System.Runtime.InteropServices.InAttribute", "System.Runtime.InteropServices.OutAttribute",
        "System.Threading.Tasks.Sources.*",
        "System.Diagnostics.DebuggableAttribute",
    ];

    /// <summary>Members a script may not call itself although the compiler's own await code does.</summary>
    private static readonly FrozenSet<(string Type, string Member)> DeniedInSource = FrozenSet.Create(
        ("System.Runtime.CompilerServices.TaskAwaiter", "GetResult"),
        ("System.Runtime.CompilerServices.ValueTaskAwaiter", "GetResult"),
        ("System.Runtime.CompilerServices.ConfiguredTaskAwaitable", "GetResult"),
        ("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable", "GetResult"));

    /// <summary>Why a namespace left out of the list is left out (the most specific prefix decides).</summary>
    private static readonly (string Namespace, string Reason)[] ReasonsByNamespace =
    [
        ("System.IO", Files),
        ("System.Net", Network),
        ("System.Diagnostics", Processes),
        ("System.Reflection", Reflection),
        ("System.Runtime.Serialization", Reflection),
        ("System.ComponentModel", Reflection),
        ("System.Resources", Reflection),
        ("System.Runtime.InteropServices", Interop),
        ("System.Runtime.Intrinsics", Interop),
        ("System.Runtime.Loader", Loading),
        ("System.Runtime.CompilerServices", Reflection),
        ("System.Threading", Threads),
        ("System.Security", ProcessEnvironment),
        ("Microsoft.Win32", ProcessEnvironment),
        ("System.Dynamic", Dynamic),
        ("Microsoft.CSharp", Dynamic),
        ("System.Linq.Expressions", Reflection),
        ("System.Text.Json.Serialization", Json),
        ("Slardar", Internals),
    ];

    private static readonly AllowList Common = AllowList.Parse(Allowed);
    private static readonly AllowList ImageHelpers = AllowList.Parse(ImageOnly);
    private static readonly FrozenDictionary<string, string> DeniedTypes = Denied
        .Where(static d => !d.Api.Contains("::", StringComparison.Ordinal))
        .ToFrozenDictionary(static d => d.Api, static d => d.Reason, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, string> DeniedMembers = Denied
        .Where(static d => d.Api.Contains("::", StringComparison.Ordinal))
        .ToFrozenDictionary(static d => d.Api, static d => d.Reason, StringComparer.Ordinal);

    /// <summary>Why scripts may not use the type <paramref name="name"/> in <paramref name="ns"/>; null when they may.</summary>
    public static string? CheckType(string ns, string name, ApiLayer layer)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(name);
        var type = FullName(ns, name);
        if (DeniedTypes.TryGetValue(type, out var reason) && !(layer == ApiLayer.Image && ImageHelpers.AllowsType(ns, type)))
        {
            return reason;
        }

        return Common.AllowsType(ns, type) || (layer == ApiLayer.Image && ImageHelpers.AllowsType(ns, type))
            ? null
            : NamespaceReason(ns);
    }

    /// <summary>Why scripts may not use member <paramref name="member"/> of the type; null when they may.</summary>
    public static string? CheckMember(string ns, string typeName, string member, bool isGenericMethod, ApiLayer layer)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(member);
        var type = FullName(ns, typeName);
        if (layer == ApiLayer.Image && ImageHelpers.AllowsMember(ns, type, member))
        {
            return null;
        }

        if (CheckType(ns, typeName, ApiLayer.Source) is { } typeReason)
        {
            return typeReason;
        }

        if (DeniedMembers.TryGetValue(type + "::" + member, out var reason)
            || (isGenericMethod && DeniedMembers.TryGetValue(type + "::" + member + "<>", out reason)))
        {
            return reason;
        }

        if (layer == ApiLayer.Source && DeniedInSource.Contains((type, member)))
        {
            return Threads;
        }

        return Common.AllowsMember(ns, type, member) ? null : NotListed;
    }

    /// <summary>Every row of the allow list, as written (for documentation and tests).</summary>
    public static IReadOnlyList<string> AllowedApis => Allowed;

    /// <summary>Every row of the deny list, as written (for documentation and tests).</summary>
    public static IReadOnlyList<(string Api, string Reason)> DeniedApis => Denied;

    private static string NamespaceReason(string ns)
    {
        var best = (Length: -1, Reason: NotListed);
        foreach (var (prefix, reason) in ReasonsByNamespace)
        {
            if (prefix.Length > best.Length
                && ns.StartsWith(prefix, StringComparison.Ordinal)
                && (ns.Length == prefix.Length || ns[prefix.Length] == '.'))
            {
                best = (prefix.Length, reason);
            }
        }

        return best.Reason;
    }

    private static string FullName(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    /// <summary>One parsed allow table: whole namespaces, and types with all or some of their members.</summary>
    private sealed class AllowList(FrozenSet<string> namespaces, FrozenDictionary<string, FrozenSet<string>?> types)
    {
        public static AllowList Parse(IEnumerable<string> rows)
        {
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            var types = new Dictionary<string, FrozenSet<string>?>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                if (row.EndsWith(".*", StringComparison.Ordinal))
                {
                    namespaces.Add(row[..^2]);
                    continue;
                }

                var colon = row.IndexOf(':', StringComparison.Ordinal);
                types.Add(
                    colon < 0 ? row : row[..colon],
                    colon < 0 ? null : row[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal));
            }

            return new AllowList(namespaces.ToFrozenSet(StringComparer.Ordinal), types.ToFrozenDictionary(StringComparer.Ordinal));
        }

        public bool AllowsType(string ns, string type) => types.ContainsKey(type) || namespaces.Contains(ns);

        public bool AllowsMember(string ns, string type, string member) => types.TryGetValue(type, out var members)
            ? members is null || members.Contains(member)
            : namespaces.Contains(ns);
    }
}

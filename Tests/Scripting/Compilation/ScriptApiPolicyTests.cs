using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

/// <summary>
/// The allow list as a table: a sample of what scripts may use compiles through both layers, and a
/// sample of what they may not is refused by each layer with the right reason.
/// </summary>
public sealed class ScriptApiPolicyTests
{
    public static TheoryData<string> AllowedSamples => new()
    {
        "var n = Math.Max(1, (int)MathF.Round(2.5f)) + int.Parse(\"3\", System.Globalization.CultureInfo.InvariantCulture);",
        "var t = DateTimeOffset.UtcNow - DateTime.UtcNow.AddSeconds(-1) + TimeSpan.FromSeconds(1); var d = DateOnly.FromDateTime(DateTime.UtcNow);",
        "var now = TimeProvider.System.GetUtcNow(); var zone = TimeZoneInfo.Utc.Id;",
        "var id = Guid.NewGuid().ToString(\"N\"); var h = HashCode.Combine(1, \"a\"); var r = Random.Shared.Next(10);",
        "var u = new UriBuilder(new Uri(\"http://a.example/x?y=1\", UriKind.Absolute)) { Port = 8080 }.Uri.GetComponents(UriComponents.Path, UriFormat.Unescaped);",
        "var b = Convert.ToBase64String(BitConverter.GetBytes(42)) + Convert.ToHexString([1, 2]);",
        "ReadOnlySpan<char> span = \"a,b\".AsSpan(); var i = span.IndexOf(','); var part = span[..i].ToString(); var range = 1..^1;",
        "var tuple = (a: 1, b: \"x\"); int? maybe = null; var lazy = new Lazy<int>(() => 1); Func<int, bool> odd = x => x % 2 == 1; Predicate<int> p = x => x > 0;",
        "var dict = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { [\"a\"] = 1 }; var set = new HashSet<int> { 1 }; var queue = new PriorityQueue<string, int>();",
        "var cd = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(); cd.TryAdd(\"a\", 1);",
        "var im = System.Collections.Immutable.ImmutableArray.Create(1, 2); var fr = System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(new Dictionary<int, int> { [1] = 2 });",
        "var nv = new System.Collections.Specialized.NameValueCollection { [\"a\"] = \"b\" }; var oc = new System.Collections.ObjectModel.ReadOnlyCollection<int>([1]);",
        "var sum = Enumerable.Range(0, 10).Where(x => x > 2).Select(x => x * 2).OrderBy(x => -x).Take(3).Sum(); var groups = new[] { \"a\", \"b\" }.GroupBy(s => s.Length).ToList();",
        "var sb = new StringBuilder().Append('a').AppendLine(\"b\"); var bytes = Encoding.UTF8.GetBytes(\"x\"); var rune = new Rune('a'); var ascii = System.Text.Ascii.IsValid(\"x\");",
        "var m = Regex.Match(\"abc\", \"b\"); var ok = m.Success && new Regex(\"^a\", RegexOptions.IgnoreCase).IsMatch(\"ABC\"); var s = Regex.Replace(\"a-b\", \"-\", x => \"+\");",
        "using var doc = System.Text.Json.JsonDocument.Parse(\"{\\\"a\\\":1}\"); var a = doc.RootElement.GetProperty(\"a\").GetInt32();",
        "var node = System.Text.Json.Nodes.JsonNode.Parse(\"{\\\"a\\\":1}\")!; node[\"b\"] = 2; var text = node.ToJsonString(); var v = node[\"a\"]!.GetValue<int>();",
        "var writer = new System.Buffers.ArrayBufferWriter<byte>(); using (var w = new System.Text.Json.Utf8JsonWriter(writer)) { w.WriteStartObject(); w.WriteEndObject(); }",
        "var enc = System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(\"<a>\") + System.Text.Encodings.Web.HtmlEncoder.Default.Encode(\"&\");",
        "var ci = System.Globalization.CultureInfo.GetCultureInfo(\"en-US\"); var s = (-1.5).ToString(ci) + DateTime.UtcNow.ToString(\"O\", System.Globalization.CultureInfo.InvariantCulture);",
        "var big = System.Numerics.BigInteger.Pow(2, 100); var bits = System.Numerics.BitOperations.PopCount(7u);",
        "var n = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(new byte[4]); var sv = System.Buffers.SearchValues.Create(\"abc\");",
        "var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(\"x\")));",
        "var mac = System.Security.Cryptography.HMACSHA256.HashData(new byte[16], new byte[4]); var eq = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(mac, mac);",
        "using var inc = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256); inc.AppendData(new byte[1]); var h = inc.GetHashAndReset();",
        "var rnd = System.Security.Cryptography.RandomNumberGenerator.GetInt32(10); var token = System.Security.Cryptography.RandomNumberGenerator.GetHexString(16);",
        "var ip = System.Net.IPAddress.Parse(\"10.0.0.1\"); var inNet = System.Net.IPNetwork.Parse(\"10.0.0.0/8\").Contains(ip); var code = (int)System.Net.HttpStatusCode.OK;",
        "var q = System.Web.HttpUtility.ParseQueryString(\"a=1\")[\"a\"] + System.Net.WebUtility.UrlEncode(\"a b\");",
        "await Task.Delay(1); await Task.WhenAll(Task.CompletedTask, Task.FromResult(1)); var v = await ValueTask.FromResult(1).ConfigureAwait(false);",
        "var total = 0; System.Threading.Interlocked.Increment(ref total); var w = System.Diagnostics.Stopwatch.StartNew(); var nl = Environment.NewLine;",
        "throw new System.Diagnostics.UnreachableException(\"x\");",
        "var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $\"{1.5} {DateTime.UtcNow}\");",
    };

    // The README's cookbook and the bench's scripts, which must keep compiling.
    public static TheoryData<string, string> ShippedScripts => new()
    {
        { "if (Request.Query[\"v\"] == \"2\") Upstream = \"api-v2\";\nRequest.Path = \"/api\" + Request.Path;\nRequest.Headers[\"X-Request-Start\"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();", "Rewrite" },
        { "if (Request.Headers[\"X-Token\"] != \"let-me-in\") return Exit(40100001, \"token required\");\nVars[\"user\"] = \"ops\";", "Auth" },
        { "if (LastFailure is { Kind: FailureKind.Failed } f) Checkups.Feedback(Upstream, f.Peer, failed: true);\nSetCurrentPeer(Checkups.SelectPeer(Upstream, Request.Headers[\"X-User-Id\"]));\nSetMoreTries(1);", "Balancer" },
        { "if (Request.Method == \"DELETE\") return Exit(403);", "Rewrite" },
        { "if (Request.Headers[\"X-Deny\"] is not null) return Exit(401);", "Auth" },
        { "if (Tries == 0) SetMoreTries(2);\nSetCurrentPeer(Checkups.SelectPeer(Upstream));", "Balancer" },
    };

    [Theory]
    [MemberData(nameof(ShippedScripts))]
    public void Compile_ShippedScript_StillCompiles(string source, string phase)
    {
        TestScripts.Compile(source, Enum.Parse<ScriptPhase>(phase)).Errors.ShouldBeEmpty();
    }

    public static TheoryData<string, string, string> DeniedSamples => new()
    {
        // statement, what the source layer names, the reason
        { "System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;", "System.Globalization.CultureInfo.DefaultThreadCurrentCulture", ScriptApiPolicy.ProcessWide },
        { "System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;", "System.Globalization.CultureInfo.CurrentCulture", ScriptApiPolicy.ProcessWide },
        { "System.Globalization.CultureInfo.CurrentCulture.ClearCachedData();", "System.Globalization.CultureInfo.CurrentCulture", ScriptApiPolicy.ProcessWide },
        { "AppContext.SetSwitch(\"x\", true);", "System.AppContext.SetSwitch", ScriptApiPolicy.ProcessWide },
        { "Console.SetOut(Console.Error);", "System.Console.SetOut", ScriptApiPolicy.ProcessWide },
        { "TimeZoneInfo.ClearCachedData();", "System.TimeZoneInfo.ClearCachedData", ScriptApiPolicy.ProcessWide },
        { "Regex.CacheSize = 0;", "System.Text.RegularExpressions.Regex.CacheSize", ScriptApiPolicy.ProcessWide },
        { "Encoding.RegisterProvider(null!);", "System.Text.Encoding.RegisterProvider", ScriptApiPolicy.ProcessWide },
        { "var s = string.Intern(\"x\");", "System.String.Intern", ScriptApiPolicy.ProcessWide },
        { "var t = System.Threading.Thread.CurrentThread;", "System.Threading.Thread.CurrentThread", ScriptApiPolicy.Threads },
        { "var q = new[] { 1 }.AsParallel();", "AsParallel", string.Empty },
        { "var f = System.IO.File.Exists(\"/x\");", "System.IO.File.Exists", ScriptApiPolicy.Files },
        { "var e = Environment.GetEnvironmentVariable(\"HOME\");", "System.Environment.GetEnvironmentVariable", ScriptApiPolicy.NotListed },
        { "var j = System.Text.Json.JsonSerializer.Serialize(1);", "System.Text.Json.JsonSerializer.Serialize", ScriptApiPolicy.Json },
        { "var p = System.Buffers.ArrayPool<byte>.Shared;", "System.Buffers.ArrayPool<T>.Shared", ScriptApiPolicy.Pools },
        { "var sha = System.Security.Cryptography.SHA256.Create();", "System.Security.Cryptography.SHA256.Create", ScriptApiPolicy.NotListed },
        { "var w = new WeakReference(new object());", "new System.WeakReference", ScriptApiPolicy.NotListed },
        { "var v = System.Text.Json.Nodes.JsonValue.Create<int>(1);", "System.Text.Json.Nodes.JsonValue.Create", ScriptApiPolicy.Json },
        { "var cts = new System.Threading.CancellationTokenSource(10);", "new System.Threading.CancellationTokenSource", ScriptApiPolicy.Threads },
        { "var pin = new Memory<byte>(new byte[1]).Pin();", "System.Memory<T>.Pin", ScriptApiPolicy.Interop },
        { "var values = Enum.GetValues(1.GetTypeCode().GetType());", "System.Object.GetType", ScriptApiPolicy.Reflection },
    };

    public static TheoryData<string, string> DeniedInImage => new()
    {
        // statement (compiled trusted: no source check), what the image layer names
        { "System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;", "System.Globalization.CultureInfo.DefaultThreadCurrentCulture" },
        { "var c = System.Globalization.CultureInfo.CurrentCulture;", "System.Globalization.CultureInfo.CurrentCulture" },
        { "AppContext.SetSwitch(\"x\", true);", "System.AppContext" },
        { "TimeZoneInfo.ClearCachedData();", "System.TimeZoneInfo.ClearCachedData" },
        { "Regex.CacheSize = 0;", "System.Text.RegularExpressions.Regex.CacheSize" },
        { "var s = string.Intern(\"x\");", "System.String.Intern" },
        { "var w = new WeakReference(new object());", "System.WeakReference" },
        { "var sha = System.Security.Cryptography.SHA256.Create();", "System.Security.Cryptography.SHA256.Create" },
        { "Task.Delay(1).GetAwaiter().OnCompleted(() => { });", "System.Runtime.CompilerServices.TaskAwaiter.OnCompleted" },
        { "var e = Environment.GetEnvironmentVariable(\"HOME\");", "System.Environment.GetEnvironmentVariable" },
    };

    [Theory]
    [MemberData(nameof(AllowedSamples))]
    public void Compile_AllowedApi_PassesBothLayers(string statement)
    {
        // An untrusted compile runs the source layer, then the image layer on what was emitted.
        var result = TestScripts.Compile($"{statement}\nreturn Next;");

        result.Errors.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(DeniedSamples))]
    public void Compile_DeniedApi_IsRefusedBySourceLayerWithItsReason(string statement, string named, string reason)
    {
        var errors = TestScripts.Compile($"var before = 1;\n{statement}\nreturn Next;").Errors;

        errors.ShouldNotBeEmpty();
        errors.ShouldContain(e => e.Line == 2 && e.Message.Contains(named) && e.Message.Contains(reason), string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(DeniedInImage))]
    public void Check_DeniedApiInImage_IsFoundByImageLayer(string statement, string named)
    {
        var image = TestScripts.CompileOk($"{statement}\nreturn Next;", trusted: true).Image;

        var findings = ScriptImageGuard.Check(image, ScriptAssemblies.Allowed).Select(d => d.Message).ToList();

        findings.ShouldContain(f => f.Contains($"'{named}'"), string.Join("\n", findings));
    }

    [Fact]
    public void CheckType_CompilerHelperType_IsAllowedInTheImageOnly()
    {
        ScriptApiPolicy.CheckType("System.Runtime.CompilerServices", "AsyncValueTaskMethodBuilder", ApiLayer.Image).ShouldBeNull();
        ScriptApiPolicy.CheckType("System.Runtime.CompilerServices", "AsyncValueTaskMethodBuilder", ApiLayer.Source).ShouldNotBeNull();
        ScriptApiPolicy.CheckMember("System.Runtime.CompilerServices", "RuntimeHelpers", "InitializeArray", false, ApiLayer.Image).ShouldBeNull();
        ScriptApiPolicy.CheckMember("System.Runtime.CompilerServices", "RuntimeHelpers", "GetUninitializedObject", false, ApiLayer.Image).ShouldNotBeNull();
    }

    [Fact]
    public void CheckType_AsyncVoidBuilder_IsRefusedInTheImage()
    {
        ScriptApiPolicy.CheckType("System.Runtime.CompilerServices", "AsyncVoidMethodBuilder", ApiLayer.Image).ShouldBe(ScriptApiPolicy.AsyncVoid);
    }

    [Fact]
    public void CheckType_TypeNotOnTheList_IsRefusedWithTheNamespacesReason()
    {
        ScriptApiPolicy.CheckType("System.IO", "MemoryStream", ApiLayer.Source).ShouldBe(ScriptApiPolicy.Files);
        ScriptApiPolicy.CheckType("System", "WeakReference", ApiLayer.Source).ShouldBe(ScriptApiPolicy.NotListed);
        ScriptApiPolicy.CheckType("System.Collections.Generic", "List", ApiLayer.Source).ShouldBeNull();
    }

    [Fact]
    public void DeniedApis_EveryRowIsWellFormed()
    {
        foreach (var (api, reason) in ScriptApiPolicy.DeniedApis)
        {
            api.ShouldNotContain(" ");
            reason.ShouldNotBeNullOrWhiteSpace();
        }

        ScriptApiPolicy.AllowedApis.Distinct().Count().ShouldBe(ScriptApiPolicy.AllowedApis.Count);
    }
}

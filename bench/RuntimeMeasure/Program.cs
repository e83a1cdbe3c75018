using System.Diagnostics;
using System.Globalization;
using Slardar.Scriptable.RuntimeMeasure;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;

// Child mode for the depth probe: run one recursion of the given depth on a thread of the given
// stack and exit 0; a stack overflow ends the process (exit 134 / SIGABRT).
if (args is ["recurse", var recursion, var depthText, var stackText])
{
    var depth = int.Parse(depthText, CultureInfo.InvariantCulture);
    var thread = new Thread(() => Console.WriteLine(Recursions.Run(recursion, depth)), int.Parse(stackText, CultureInfo.InvariantCulture) * 1024 * 1024);
    thread.Start();
    thread.Join();
    return 0;
}

var what = args.Length > 0 ? args[0] : "all";
if (what is "all" or "tick")
{
    MeasureTick();
}

if (what is "all" or "hop")
{
    await MeasureHopAsync();
}

if (what is "all" or "load")
{
    MeasureLoad();
}

if (what is "all" or "compile")
{
    MeasureCompile();
}

if (what is "all" or "stack")
{
    MeasureStacks();
}

if (what is "all" or "depth")
{
    foreach (var kind in new[] { "except", "select" })
    {
        foreach (var stack in new[] { 1, 256 })
        {
            Console.WriteLine($"depth {kind} stack {stack} MiB: overflows at about {FindOverflowDepth(kind, stack):N0} levels");
        }
    }
}

return 0;

static void MeasureTick()
{
    const int turns = 200_000_000;
    var limits = new ScriptLimits(long.MaxValue, Timeout.InfiniteTimeSpan, 100) { MaxAllocatedBytes = long.MaxValue };
    for (var round = 0; round < 3; round++)
    {
        var previous = new PreviousBudget();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < turns; i++)
        {
            previous.Tick(1);
        }

        var before = watch.Elapsed.TotalNanoseconds / turns;
        var budget = new ScriptBudget(limits, TimeProvider.System);
        watch.Restart();
        for (var i = 0; i < turns; i++)
        {
            budget.Tick(1);
        }

        var after = watch.Elapsed.TotalNanoseconds / turns;
        Console.WriteLine($"tick: before {before:0.00} ns, after {after:0.00} ns, ratio {after / before:0.0}x");
    }
}

// What loading a compiled 50-line script costs the gateway (the "load" of a script POST's
// Server-Timing): the image into a collectible context alone, then ScriptGeneration.Load whole, each
// on a fresh variant so nothing is cached; and what forcing the optimized JIT of every method at load
// would add (RuntimeHelpers.PrepareMethod, which loading did until it measured this).
static void MeasureLoad()
{
    var compiler = new ScriptCompiler();
    var scripts = Enumerable.Range(0, 120).Select(i => compiler.Compile(new ScriptCompileRequest(FiftyLines(i), ScriptPhase.Rewrite)).Script!).ToList();
    var images = new List<double>();
    var withPdb = new List<double>();
    var loads = new List<double>();
    foreach (var script in scripts)
    {
        var watch = Stopwatch.StartNew();
        var bare = new System.Runtime.Loader.AssemblyLoadContext(null, isCollectible: true);
        bare.LoadFromStream(new MemoryStream(script.Image.ToArray())).GetTypes();
        images.Add(watch.Elapsed.TotalMilliseconds);
        bare.Unload();

        watch.Restart();
        var symbols = new System.Runtime.Loader.AssemblyLoadContext(null, isCollectible: true);
        symbols.LoadFromStream(new MemoryStream(script.Image.ToArray()), new MemoryStream(script.Pdb.ToArray())).GetTypes();
        withPdb.Add(watch.Elapsed.TotalMilliseconds);
        symbols.Unload();

        watch.Restart();
        var generation = ScriptGeneration.Load(script);
        loads.Add(watch.Elapsed.TotalMilliseconds);
        generation.Retire();
    }

    // The optimized JIT of each method of one fresh variant.
    var probe = new System.Runtime.Loader.AssemblyLoadContext(null, isCollectible: true);
    var assembly = probe.LoadFromStream(new MemoryStream(scripts[^1].Image.ToArray()));
    const System.Reflection.BindingFlags all = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly;
    foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
    {
        foreach (var method in type.GetMethods(all).Where(m => !m.IsAbstract && !m.ContainsGenericParameters))
        {
            var watch = Stopwatch.StartNew();
            System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
            Console.WriteLine($"  PrepareMethod {type.Name}.{method.Name}: {watch.Elapsed.TotalMilliseconds:0.00} ms, {method.GetMethodBody()?.GetILAsByteArray()?.Length} B of IL");
        }
    }

    static double P50(List<double> values) => values.Skip(20).Order().ElementAt((values.Count - 20) / 2);
    Console.WriteLine($"load (p50 of 100): image alone {P50(images):0.00} ms, image + pdb {P50(withPdb):0.00} ms, ScriptGeneration.Load {P50(loads):0.00} ms");
}

// A warm compile of a 50-line script in process (the worker's share of a reload), and its steps
// redone apart: parse and bind with diagnostics, the guard's and instrumenter's walks, emit.
static void MeasureCompile()
{
    var compiler = new ScriptCompiler();
    for (var i = 0; i < 300; i++)
    {
        compiler.Compile(new ScriptCompileRequest(FiftyLines(10_000 + i), ScriptPhase.Rewrite));
    }

    var whole = new List<double>();
    var bind = new List<double>();
    var emit = new List<double>();
    for (var i = 0; i < 100; i++)
    {
        var request = new ScriptCompileRequest(FiftyLines(i), ScriptPhase.Rewrite);
        var watch = Stopwatch.StartNew();
        compiler.Compile(request);
        whole.Add(watch.Elapsed.TotalMilliseconds);

        watch.Restart();
        var source = ScriptSource.Parse(request.Source, ScriptCompiler.ParseOptions, default);
        var generated = ScriptTemplate.Generate(source, request.Phase, request.Path);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(generated.Text, ScriptCompiler.ParseOptions);
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("m" + i, [tree], compiler.References.References,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary, optimizationLevel: Microsoft.CodeAnalysis.OptimizationLevel.Release, concurrentBuild: false));
        compilation.GetSemanticModel(tree).GetDiagnostics();
        bind.Add(watch.Elapsed.TotalMilliseconds);

        watch.Restart();
        compilation.Emit(new MemoryStream(), new MemoryStream());
        emit.Add(watch.Elapsed.TotalMilliseconds);
    }

    static double P50(List<double> values) => values.Order().ElementAt(values.Count / 2);
    Console.WriteLine($"compile (p50 of 100, warm): ScriptCompiler.Compile {P50(whole):0.0} ms; apart: parse + bind {P50(bind):0.0} ms, emit of that compilation {P50(emit):0.0} ms");
}

static string FiftyLines(int variant)
{
    var source = new System.Text.StringBuilder($"// reload {variant}\nvar path = Request.Path;\n");
    for (var i = 0; i < 23; i++)
    {
        source.Append(CultureInfo.InvariantCulture, $"if (path.StartsWith(\"/v{i}/\")) Request.Headers[\"X-Route\"] = \"v{i}-{variant}\";\n");
        source.Append(CultureInfo.InvariantCulture, $"else if (Request.Query[\"q{i}\"] == \"{variant}\") Vars[\"q\"] = \"{i}\";\n");
    }

    return source.Append("return Next;\n").ToString();
}

static async Task MeasureHopAsync()
{
    var compiler = new ScriptCompiler();
    var script = compiler.Compile(new ScriptCompileRequest("Vars[\"n\"] = 1;", ScriptPhase.Rewrite)).Script!;
    using var runtime = new ScriptRuntime(TimeProvider.System);
    var inline = ScriptGeneration.Load(script);
    var hopped = ScriptGeneration.Load(script, runtime: runtime);
    var context = new ScriptRequestContext(new NullRequest(), new ScriptVars(), new NullLog());
    const int n = 200_000;
    for (var round = 0; round < 3; round++)
    {
        var (inlineUs, inlineBytes) = await TimeAsync(inline, context, n);
        var (hopUs, hopBytes) = await TimeAsync(hopped, context, n);
        Console.WriteLine($"invocation: inline {inlineUs:0.00} us {inlineBytes} B, on a script thread {hopUs:0.00} us {hopBytes} B (+{hopUs - inlineUs:0.00} us, +{hopBytes - inlineBytes} B)");
    }

    // Sequential awaits measure latency; the parallel figure is what the hop costs in throughput.
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
    {
        for (var i = 0; i < n / 8; i++)
        {
            await hopped.RunAsync(context);
        }
    })));
    Console.WriteLine($"invocation on script threads, 8 callers: {watch.Elapsed.TotalMicroseconds / n:0.00} us each");
}

static async Task<(double Microseconds, long Bytes)> TimeAsync(ScriptGeneration generation, ScriptRequestContext context, int n)
{
    for (var i = 0; i < 1000; i++)
    {
        await generation.RunAsync(context);
    }

    var bytes = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        await generation.RunAsync(context);
    }

    var elapsed = watch.Elapsed.TotalMicroseconds / n;
    return (elapsed, (GC.GetTotalAllocatedBytes(precise: true) - bytes) / n);
}

static void MeasureStacks()
{
    var rss0 = Rss();
    using var pool = new ScriptThreadPool(256, 64, 64);
    var factory = new TaskFactory(pool);
    Task.WaitAll(Enumerable.Range(0, 64).Select(_ => factory.StartNew(() => Thread.Sleep(200))).ToArray());
    var rss1 = Rss();
    Console.WriteLine($"stack: 64 idle script threads of 256 MiB: RSS +{(rss1 - rss0) / 1048576.0:0.0} MiB (reserved, not committed)");
    var result = factory.StartNew(() => Recursions.Run("except", 300_000)).Result;

    // The chain's heap garbage goes (aggressive: decommitted), so what stays is the stack.
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    var rss2 = Rss();
    Console.WriteLine($"stack: after the 300,000-level Except chain ({result}) on one of them: RSS +{(rss2 - rss1) / 1048576.0:0.0} MiB (its touched stack pages stay committed)");
}

static long Rss()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    return 0;
}

// Doubles the depth until a child dies, then bisects to within 2 %.
static int FindOverflowDepth(string kind, int stackMb)
{
    var alive = 1000;
    var dead = 0;
    for (var depth = 100_000; dead == 0; depth *= 2)
    {
        if (Survives(kind, depth, stackMb))
        {
            alive = depth;
        }
        else
        {
            dead = depth;
        }

        if (depth > 64_000_000)
        {
            return -1;
        }
    }

    while (dead - alive > alive / 50)
    {
        var middle = alive + ((dead - alive) / 2);
        if (Survives(kind, middle, stackMb))
        {
            alive = middle;
        }
        else
        {
            dead = middle;
        }
    }

    return dead;
}

static bool Survives(string kind, int depth, int stackMb)
{
    var info = new ProcessStartInfo(Environment.ProcessPath!)
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };

    // Started as "dotnet x.dll": the child needs the dll too.
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        info.ArgumentList.Add(typeof(Recursions).Assembly.Location);
    }
    foreach (var arg in new[] { "recurse", kind, depth.ToString(CultureInfo.InvariantCulture), stackMb.ToString(CultureInfo.InvariantCulture) })
    {
        info.ArgumentList.Add(arg);
    }

    // Both streams drained as they come: a stack overflow prints thousands of frames to stderr.
    using var child = new Process { StartInfo = info };
    child.OutputDataReceived += static (_, _) => { };
    child.ErrorDataReceived += static (_, _) => { };
    child.Start();
    child.BeginOutputReadLine();
    child.BeginErrorReadLine();
    child.WaitForExit();
    return child.ExitCode == 0;
}

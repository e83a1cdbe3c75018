using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>A real Kestrel server on 127.0.0.1:0 standing in for an upstream peer.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private TestBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Requests that reached this backend's handler.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Request bodies received, in order, when the backend reads bodies.</summary>
    public ConcurrentQueue<byte[]> Bodies { get; } = new();

    public static async Task<TestBackend> StartAsync(Func<HttpContext, Task> handler, bool useWebSockets = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        if (useWebSockets)
        {
            app.UseWebSockets();
        }

        TestBackend? self = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref self!._requests);
            context.Items[typeof(TestBackend)] = self;
            return handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new TestBackend(app, new Uri(address).Port);
        return self;
    }

    /// <summary>Answers 200 with a body naming this backend's port.</summary>
    public static Task<TestBackend> StartNamedAsync(string name) =>
        StartAsync(context => context.Response.WriteAsync(name));

    /// <summary>Reads the whole request body, records it, then lets <paramref name="respond"/> answer.</summary>
    public static Task<TestBackend> StartRecordingAsync(Func<HttpContext, byte[], Task> respond) =>
        StartAsync(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            ((TestBackend)context.Items[typeof(TestBackend)]!).Bodies.Enqueue(body);
            await respond(context, body);
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

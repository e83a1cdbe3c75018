using Serilog;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slardar.Scriptable.Host.Hosting;

/// <summary>
/// A tiny echo server on a loopback port that the default configuration's <c>demo</c> upstream
/// points at, so a newcomer's first <c>curl localhost:8080/</c> shows a proxied answer.
/// Turned off with <c>Demo:Enabled=false</c>.
/// </summary>
internal static class DemoBackend
{
    public static WebApplication Build(string url, Serilog.ILogger logger)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger);
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.Run(async context =>
        {
            var headers = new JsonObject();
            foreach (var (name, value) in context.Request.Headers)
            {
                headers[name] = value.ToString();
            }

            var answer = new JsonObject
            {
                ["message"] = "Hello from the Slardar.Scriptable demo upstream. Point your own hosts at real upstreams: see the README.",
                ["served_by"] = $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort}",
                ["method"] = context.Request.Method,
                ["path"] = context.Request.Path.Value,
                ["query"] = context.Request.QueryString.Value,
                ["headers"] = headers,
            };
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Demo-Upstream"] = "echo";
            await context.Response.WriteAsync(answer.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        });
        return app;
    }
}

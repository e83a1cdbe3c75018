using Microsoft.Extensions.FileProviders;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// Serves the admin UI's static build on the admin listener: the page at <c>/ui/</c>, and at
/// <c>/</c> for browsers (a request that accepts text/html; curl and scripts keep getting the JSON
/// summary), assets under <c>/ui/</c>. Runs before the token check: the shell holds no data and asks
/// for the token itself, and every API call it makes is still checked.
/// </summary>
internal static class AdminUi
{
    private const string NotBuilt =
        "The admin UI has not been built: run ./run.sh from a clone, or (cd admin-ui && npm ci && npm run build).";

    public static void Use(WebApplication app, AdminUiOptions options)
    {
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                return next(context);
            }

            if (request.Path.Value == "/ui")
            {
                context.Response.Redirect("/ui/");
                return Task.CompletedTask;
            }

            var wantsPage = request.Path.Value == "/ui/" || (request.Path.Value == "/" && AcceptsHtml(request));
            return wantsPage ? WriteIndexAsync(context, options.Folder) : next(context);
        });

        if (options.Folder is { } folder && Directory.Exists(folder))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(folder),
                RequestPath = "/ui",
            });
        }
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static async Task WriteIndexAsync(HttpContext context, string? folder)
    {
        var index = folder is null ? null : Path.Combine(folder, AdminUiOptions.IndexFile);
        if (index is null || !File.Exists(index))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(NotBuilt);
            return;
        }

        // The page names its hashed assets: never cache it, so a rebuilt UI shows on the next load.
        // It steers the gateway: no other site may frame it (clickjacking).
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.SendFileAsync(index);
    }
}

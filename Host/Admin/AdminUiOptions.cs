namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// Where the admin UI's build output (admin-ui/dist) is: <c>Admin:UiFolder</c> when set, else the
/// first admin-ui/dist with an index.html found walking up from the binary's folder and then from
/// the working directory (a clone runs the binary from Host/bin/..., tests from Tests/bin/...).
/// Null when the UI has not been built: the API still serves, and / says how to build the UI.
/// </summary>
internal sealed record AdminUiOptions(string? Folder)
{
    public const string IndexFile = "index.html";

    public static AdminUiOptions FromConfiguration(IConfiguration configuration)
    {
        if (configuration["Admin:UiFolder"] is { Length: > 0 } configured)
        {
            return new AdminUiOptions(Path.GetFullPath(configured));
        }

        return new AdminUiOptions(FindUpwards(AppContext.BaseDirectory) ?? FindUpwards(Directory.GetCurrentDirectory()));
    }

    private static string? FindUpwards(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "admin-ui", "dist");
            if (File.Exists(Path.Combine(candidate, IndexFile)))
            {
                return candidate;
            }
        }

        return null;
    }
}

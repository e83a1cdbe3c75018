namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>Where the repository's admin UI build and test artifacts are, found from the test binary's folder.</summary>
internal static class UiBuild
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Dist => Path.Combine(RepositoryRoot, "admin-ui", "dist");

    /// <summary>Screenshots of each page, kept as test artifacts (artifacts/ is ignored by git).</summary>
    public static string ScreenshotFolder => Path.Combine(RepositoryRoot, "artifacts", "ui-screenshots");

    public static void EnsureBuilt()
    {
        if (!File.Exists(Path.Combine(Dist, "index.html")))
        {
            throw new InvalidOperationException($"{Dist} has no index.html: ./test.sh builds the admin UI (cd admin-ui && npm ci && npm run build)");
        }
    }

    public static string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        return Path.Combine(ScreenshotFolder, name + ".png");
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Slardar.Scriptable.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Slardar.Scriptable.sln) was not found above " + AppContext.BaseDirectory);
    }
}

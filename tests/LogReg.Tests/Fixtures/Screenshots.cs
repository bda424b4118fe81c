namespace LogReg.Tests.Fixtures;

/// <summary>Screenshots the browser tests keep for people to look at: artifacts/test-screenshots/ in the repository.</summary>
public static class Screenshots
{
    /// <summary>The folder screenshots go to (a test's own folder when the tests run outside the repository).</summary>
    public static string Folder(TempDirectory fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        var folder = RealData.RepositoryRoot() is { } root ? Path.Combine(root, "artifacts", "test-screenshots") : fallback.File("screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Saves a full-page screenshot as NAME.png and returns its path.</summary>
    public static async Task<string> KeepAsync(BrowserPage page, string name, TempDirectory fallback)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(Folder(fallback), name + ".png");
        await File.WriteAllBytesAsync(path, await page.ScreenshotAsync());
        return path;
    }
}
